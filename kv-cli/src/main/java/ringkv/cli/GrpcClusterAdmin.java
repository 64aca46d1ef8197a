package ringkv.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.AdminGrpc.AdminBlockingStub;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
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
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.client.KvException;

/**
 * Calls the Admin service over a plaintext channel of its own, which it closes before it returns.
 * The call fails fast when the node cannot be reached (no wait-for-ready), so that the caller can
 * move on to the next endpoint.
 */
public final class GrpcClusterAdmin implements ClusterAdmin {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  @Override
  public GetClusterStatusResponse clusterStatus(String endpoint, Duration timeout) {
    return call(
        endpoint,
        timeout,
        stub -> stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
  }

  @Override
  public GetClusterMapResponse clusterMap(String endpoint, Duration timeout) {
    return call(
        endpoint, timeout, stub -> stub.getClusterMap(GetClusterMapRequest.getDefaultInstance()));
  }

  @Override
  public TakeSnapshotResponse takeSnapshot(String endpoint, TakeSnapshotRequest request, Duration timeout) {
    return call(endpoint, timeout, stub -> stub.takeSnapshot(request));
  }

  @Override
  public TransferLeadershipResponse transferLeadership(
      String endpoint, TransferLeadershipRequest request, Duration timeout) {
    return change(
        "TransferLeadership", endpoint, timeout, stub -> stub.transferLeadership(request));
  }

  @Override
  public MoveReplicaResponse moveReplica(
      String endpoint, MoveReplicaRequest request, Duration timeout) {
    return change("MoveReplica", endpoint, timeout, stub -> stub.moveReplica(request));
  }

  @Override
  public AddShardResponse addShard(String endpoint, AddShardRequest request, Duration timeout) {
    return change("AddShard", endpoint, timeout, stub -> stub.addShard(request));
  }

  @Override
  public RemoveShardResponse removeShard(
      String endpoint, RemoveShardRequest request, Duration timeout) {
    return change("RemoveShard", endpoint, timeout, stub -> stub.removeShard(request));
  }

  @Override
  public DrainNodeResponse drainNode(
      String endpoint, DrainNodeRequest request, Duration timeout) {
    return change("DrainNode", endpoint, timeout, stub -> stub.drainNode(request));
  }

  @Override
  public RemoveNodeResponse removeNode(
      String endpoint, RemoveNodeRequest request, Duration timeout) {
    return change("RemoveNode", endpoint, timeout, stub -> stub.removeNode(request));
  }

  @Override
  public RebalanceReplicasResponse rebalanceReplicas(
      String endpoint, RebalanceReplicasRequest request, Duration timeout) {
    return change("RebalanceReplicas", endpoint, timeout, stub -> stub.rebalanceReplicas(request));
  }

  /**
   * {@link #call} for a call that changes the cluster: the node's own error becomes a {@link
   * KvException} ({@link #nodeAnswer}).
   */
  private static <T> T change(
      String rpc, String endpoint, Duration timeout, Function<AdminBlockingStub, T> call) {
    try {
      return call(endpoint, timeout, call);
    } catch (RuntimeException e) {
      KvException answer = nodeAnswer(rpc, e);
      throw answer != null ? answer : e;
    }
  }

  /**
   * The error a node answered with, as kvctl reports request errors ({@code <rpc> failed: <CODE>:
   * <message>}, code and reason); {@code null} when the status carries no RingKV {@code
   * ErrorDetail} (the node was not reached) or says that this node cannot serve now, so that
   * another node may.
   */
  static @Nullable KvException nodeAnswer(String rpc, Throwable failure) {
    ErrorDetail detail = errorDetail(failure);
    if (detail == null
        || detail.getReason() == ErrorReason.NODE_NOT_READY
        || detail.getReason() == ErrorReason.NODE_STOPPING) {
      return null;
    }
    Status status = Status.fromThrowable(failure);
    String description = status.getDescription();
    // not "may have been applied": ErrorReporter's hint for it speaks of keys; the node's message
    // says what became of the change (e.g. a move that goes on after the wait)
    return new KvException(
        status.getCode(),
        detail.getReason(),
        rpc + " failed: " + status.getCode() + (description == null ? "" : ": " + description),
        false,
        failure);
  }

  private static @Nullable ErrorDetail errorDetail(Throwable failure) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(failure);
    if (rich == null) {
      return null;
    }
    for (Any any : rich.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return any.unpack(ErrorDetail.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static <T> T call(String endpoint, Duration timeout, Function<AdminBlockingStub, T> rpc) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                Endpoints.host(endpoint),
                Endpoints.port(endpoint),
                InsecureChannelCredentials.create())
            .build();
    try {
      return rpc.apply(
          AdminGrpc.newBlockingStub(channel)
              .withDeadlineAfter(saturatedNanos(timeout), TimeUnit.NANOSECONDS));
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
