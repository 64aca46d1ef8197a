package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.server.testing.MiniCluster;

/**
 * {@code Admin/DrainNode} at its edges, on a one-node cluster whose groups have a single replica
 * each: nothing can take their leadership, so the drain reports them left at once instead of
 * waiting for its timeout, and the node still stops taking KV requests. Bad requests are refused
 * with INVALID_ARGUMENT naming the field. (Drains that move leaderships: RollingUpgradeIT.)
 */
class DrainNodeIT {
  private static MiniCluster cluster;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.builder().nodes(1).replication(1).shards(2).start();
    channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static AdminGrpc.AdminBlockingStub admin() {
    return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Test
  void drain_groupsWithoutOtherReplica_reportedLeftAtOnce_nodeRefusesKvButAnswersAdmin() throws Exception {
    DrainNodeResponse report = admin().drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").setTimeoutMillis(30_000).build());

    assertThat(report.getDrained()).isFalse();
    assertThat(report.getLeadershipsMoved()).isZero();
    assertThat(report.getLeadershipsLeftList()).containsExactly("meta", "shard-0", "shard-1");
    assertThat(report.getRequestsLeft()).isZero();
    assertThat(report.getElapsedMillis()).as("no waiting for leaderships that cannot move").isLessThan(10_000);

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> KVGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription()).isEqualTo("node n1 is draining (about to stop); send the request to another node");
    assertThat(detail(refused).getReason()).isEqualTo(ErrorReason.NODE_STOPPING);
    assertThat(detail(refused).getMayHaveBeenApplied()).isFalse();

    HttpResponse<String> readyz = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(cluster.adminUrl(0) + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(readyz.statusCode()).isEqualTo(503);
    assertThat(readyz.body()).contains("the node is draining (about to stop)");
    assertThat(admin().getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap().getNodesCount()).isEqualTo(1);

    // again: the same report, at once
    DrainNodeResponse again = admin().drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").build());
    assertThat(again.getLeadershipsLeftList()).isEqualTo(report.getLeadershipsLeftList());
    assertThat(again.getElapsedMillis()).isLessThan(10_000);
  }

  @Test
  void drain_badRequests_invalidArgumentNamingTheField() {
    assertInvalid(DrainNodeRequest.newBuilder().build(), "node_id", "node_id must name the node to drain");
    assertInvalid(DrainNodeRequest.newBuilder().setNodeId("n9").build(), "node_id",
        "node_id: no node n9 in the cluster map; its nodes are [n1]");
    assertInvalid(DrainNodeRequest.newBuilder().setNodeId("n1").setTimeoutMillis(-1).build(), "timeout_millis",
        "timeout_millis must be in 0..600000 (0 = 60 s), got -1");
    assertInvalid(DrainNodeRequest.newBuilder().setNodeId("n1").setTimeoutMillis(600_001).build(), "timeout_millis",
        "got 600001");
  }

  private static void assertInvalid(DrainNodeRequest request, String field, String message) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> admin().drainNode(request));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(message);
    assertThat(detail(e).getReason()).isEqualTo(ErrorReason.INVALID_FIELD);
    assertThat(detail(e).getField()).isEqualTo(field);
  }

  private static ErrorDetail detail(StatusRuntimeException e) {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return any.unpack(ErrorDetail.class);
        } catch (InvalidProtocolBufferException bad) {
          throw new AssertionError(bad);
        }
      }
    }
    throw new AssertionError("no ErrorDetail in " + e.getStatus());
  }
}
