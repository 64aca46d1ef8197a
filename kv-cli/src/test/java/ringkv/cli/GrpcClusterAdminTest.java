package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusRequest;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.MoveReplicaResponse;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RebalanceReplicasResponse;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.RemoveNodeResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.client.KvException;

/** {@link GrpcClusterAdmin} and the cluster commands against a real Admin service on loopback. */
class GrpcClusterAdminTest {
  /** Answers with {@link ClusterFixtures}; or fails, or never answers, when told to. */
  private static final class Admin extends AdminGrpc.AdminImplBase {
    volatile Status failure;
    volatile boolean silent;

    @Override
    public void getClusterStatus(
        GetClusterStatusRequest request, StreamObserver<GetClusterStatusResponse> response) {
      if (silent) {
        return;
      }
      if (failure != null) {
        response.onError(failure.asRuntimeException());
        return;
      }
      response.onNext(ClusterFixtures.status());
      response.onCompleted();
    }

    @Override
    public void getClusterMap(
        GetClusterMapRequest request, StreamObserver<GetClusterMapResponse> response) {
      response.onNext(ClusterFixtures.clusterMap());
      response.onCompleted();
    }

    @Override
    public void transferLeadership(
        TransferLeadershipRequest request, StreamObserver<TransferLeadershipResponse> response) {
      if (failure != null) {
        response.onError(failure.asRuntimeException());
        return;
      }
      response.onNext(
          TransferLeadershipResponse.newBuilder()
              .setPreviousLeaderId("n1")
              .setLeaderId(request.getToNodeId())
              .build());
      response.onCompleted();
    }

    /** Refuses as a RingKV node does: a google.rpc.Status whose details hold an ErrorDetail. */
    volatile ErrorReason refusal;

    @Override
    public void moveReplica(
        MoveReplicaRequest request, StreamObserver<MoveReplicaResponse> response) {
      if (refusal != null) {
        response.onError(refused("shard 0 already moves a replica (n1 -> n4)", "replica move"));
        return;
      }
      response.onNext(
          MoveReplicaResponse.newBuilder()
              .setMap(ClusterFixtures.moving(request, 8))
              .build());
      response.onCompleted();
    }

    @Override
    public void removeNode(RemoveNodeRequest request, StreamObserver<RemoveNodeResponse> response) {
      if (refusal != null) {
        response.onError(refused("node '" + request.getNodeId() + "' is not a node of the cluster", "node_id"));
        return;
      }
      response.onNext(
          RemoveNodeResponse.newBuilder().setMap(ClusterFixtures.leaving(2, 8)).setReplicaMoves(2).build());
      response.onCompleted();
    }

    @Override
    public void rebalanceReplicas(
        RebalanceReplicasRequest request, StreamObserver<RebalanceReplicasResponse> response) {
      response.onNext(
          RebalanceReplicasResponse.newBuilder().setMap(ClusterFixtures.joined(8)).setReplicaMoves(1).build());
      response.onCompleted();
    }

    /** The node's refusal: UNAVAILABLE when not ready, else INVALID_ARGUMENT, with an ErrorDetail. */
    private StatusRuntimeException refused(String message, String field) {
      return StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder()
              .setCode(
                  refusal == ErrorReason.NODE_NOT_READY
                      ? Status.Code.UNAVAILABLE.value()
                      : Status.Code.INVALID_ARGUMENT.value())
              .setMessage(message)
              .addDetails(Any.pack(ErrorDetail.newBuilder().setReason(refusal).setField(field).build()))
              .build());
    }
  }

  private final Admin admin = new Admin();
  private Server server;

  @BeforeEach
  void startServer() throws IOException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(admin)
            .build()
            .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination();
  }

  private String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  private static String closedEndpoint() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run kvctl(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        KvctlMain.run(
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            new ByteArrayInputStream(new byte[0]),
            args);
    return new Run(code, out.toString(UTF_8), err.toString(UTF_8));
  }

  @Test
  void clusterStatusAndMap_answered() {
    var grpc = new GrpcClusterAdmin();
    assertThat(grpc.clusterStatus(endpoint(), Duration.ofSeconds(5)))
        .isEqualTo(ClusterFixtures.status());
    assertThat(grpc.clusterMap(endpoint(), Duration.ofSeconds(5)))
        .isEqualTo(ClusterFixtures.clusterMap());
  }

  @Test
  void closedPort_unavailable() throws IOException {
    String closed = closedEndpoint();
    assertThatThrownBy(() -> new GrpcClusterAdmin().clusterStatus(closed, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void silentNode_deadlineExceededWithinTimeout() {
    admin.silent = true;
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> new GrpcClusterAdmin().clusterStatus(endpoint(), Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void kvctl_firstEndpointClosed_secondAnswers() throws IOException {
    Run run =
        kvctl(
            "--endpoints", closedEndpoint() + "," + endpoint(), "cluster", "status", "-o", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(ClusterCommandTest.STATUS_JSON);

    Run map = kvctl("--endpoints", endpoint(), "cluster", "map");
    assertThat(map.exitCode()).isZero();
    assertThat(map.out()).isEqualTo(ClusterCommandTest.MAP_TABLE);
  }

  @Test
  void kvctl_noNodeAnswers_exit1OneLine() throws IOException {
    String closed = closedEndpoint();
    admin.failure = Status.FAILED_PRECONDITION.withDescription("this node has no cluster map yet");
    Run run = kvctl("--endpoints", closed + "," + endpoint(), "cluster", "status");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("kvctl: error: no node answered at " + closed + "," + endpoint() + ": ")
        .contains(closed + " UNAVAILABLE (")
        .endsWith("; " + endpoint() + " FAILED_PRECONDITION (this node has no cluster map yet)\n");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void transferAndMove_answered() {
    var grpc = new GrpcClusterAdmin();
    assertThat(
            grpc.transferLeadership(
                endpoint(),
                TransferLeadershipRequest.newBuilder().setMeta(true).setToNodeId("n3").build(),
                Duration.ofSeconds(5)))
        .isEqualTo(
            TransferLeadershipResponse.newBuilder()
                .setPreviousLeaderId("n1")
                .setLeaderId("n3")
                .build());
    var move =
        MoveReplicaRequest.newBuilder().setShardId(0).setFromNodeId("n1").setToNodeId("n4").build();
    assertThat(grpc.moveReplica(endpoint(), move, Duration.ofSeconds(5)).getMap())
        .isEqualTo(ClusterFixtures.moving(move, 8));
  }

  @Test
  void removeNodeAndRebalance_answered() {
    var grpc = new GrpcClusterAdmin();
    assertThat(grpc.removeNode(endpoint(), RemoveNodeRequest.newBuilder().setNodeId("n3").build(), Duration.ofSeconds(5)))
        .isEqualTo(RemoveNodeResponse.newBuilder().setMap(ClusterFixtures.leaving(2, 8)).setReplicaMoves(2).build());
    assertThat(grpc.rebalanceReplicas(endpoint(), RebalanceReplicasRequest.getDefaultInstance(), Duration.ofSeconds(5))
            .getReplicaMoves())
        .isEqualTo(1);
  }

  @Test
  void removeNode_nodeRefuses_kvExceptionNamesTheRpc() {
    admin.refusal = ErrorReason.INVALID_FIELD;
    var request = RemoveNodeRequest.newBuilder().setNodeId("n9").build();
    assertThatThrownBy(() -> new GrpcClusterAdmin().removeNode(endpoint(), request, Duration.ofSeconds(5)))
        .isInstanceOf(KvException.class)
        .hasMessage("RemoveNode failed: INVALID_ARGUMENT: node 'n9' is not a node of the cluster");
  }

  @Test
  void move_nodeRefuses_kvExceptionWithCodeReasonAndMessage() {
    admin.refusal = ErrorReason.INVALID_FIELD;
    var move =
        MoveReplicaRequest.newBuilder().setShardId(0).setFromNodeId("n2").setToNodeId("n3").build();
    assertThatThrownBy(() -> new GrpcClusterAdmin().moveReplica(endpoint(), move, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            KvException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_FIELD);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "MoveReplica failed: INVALID_ARGUMENT: shard 0 already moves a replica (n1 -> n4)");
            });
  }

  @Test
  void move_nodeNotReady_notAnAnswer() {
    admin.refusal = ErrorReason.NODE_NOT_READY;
    var move =
        MoveReplicaRequest.newBuilder().setShardId(0).setFromNodeId("n2").setToNodeId("n3").build();
    assertThatThrownBy(() -> new GrpcClusterAdmin().moveReplica(endpoint(), move, Duration.ofSeconds(5)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void transfer_plainStatusWithoutDetail_notAnAnswer() {
    admin.failure = Status.UNAVAILABLE.withDescription("io exception");
    assertThatThrownBy(
            () ->
                new GrpcClusterAdmin()
                    .transferLeadership(
                        endpoint(),
                        TransferLeadershipRequest.newBuilder().setShardId(1).build(),
                        Duration.ofSeconds(5)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void kvctl_leaderTransfer_firstEndpointClosed_secondAnswers() throws IOException {
    Run run =
        kvctl("--endpoints", closedEndpoint() + "," + endpoint(), "leader", "transfer", "--shard", "1", "--to", "n2");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 1: leader n1 -> n2\n");
  }

  @Test
  void kvctl_moveReplica_refused_exit1OneLineWithCodeAndReason() {
    admin.refusal = ErrorReason.INVALID_FIELD;
    Run run =
        kvctl("--endpoints", endpoint(), "shard", "move-replica", "0", "--from", "n2", "--to", "n3");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: MoveReplica failed: INVALID_ARGUMENT: shard 0 already moves a replica"
                + " (n1 -> n4) [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
  }
}
