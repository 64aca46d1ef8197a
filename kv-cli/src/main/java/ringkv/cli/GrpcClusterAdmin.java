package ringkv.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.AdminGrpc.AdminBlockingStub;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusRequest;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;

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
