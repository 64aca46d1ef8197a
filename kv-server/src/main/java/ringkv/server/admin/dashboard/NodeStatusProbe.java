package ringkv.server.admin.dashboard;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.NodeInfo;

/**
 * Asks every node for {@code Admin/GetNodeStatus} (the call behind {@code kvctl cluster status}),
 * in parallel, with a short deadline; a node that does not answer in time is down.
 *
 * <p>Unlike {@code Admin/GetClusterStatus}, this neither reads the map from the meta group (which
 * waits up to 10 s when the meta group has no quorum, exactly when an operator looks) nor keeps
 * channels: each round opens one channel per node and shuts it when the call ends. A dashboard
 * asks every second or two, a few connections per round are cheap, and a fresh channel tries a
 * restarted node at once instead of after gRPC's reconnect backoff (up to two minutes). Nothing to
 * close, so the node's lifecycle needs no hook for it.
 */
final class NodeStatusProbe {
  static final long DEADLINE_MILLIS = 1_000;

  /** What one node answered. */
  record Result(boolean up, @Nullable GetNodeStatusResponse status, String error) {}

  Map<String, Result> probe(List<NodeInfo> nodes) {
    Map<String, CompletableFuture<Result>> pending = new LinkedHashMap<>();
    for (NodeInfo node : nodes) {
      pending.put(node.getId(), ask(node));
    }
    Map<String, Result> results = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS + 500);
    for (Map.Entry<String, CompletableFuture<Result>> e : pending.entrySet()) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        results.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
      } catch (TimeoutException ex) {
        results.put(e.getKey(), new Result(false, null, "no answer within " + DEADLINE_MILLIS + " ms"));
      } catch (ExecutionException ex) {
        results.put(e.getKey(), new Result(false, null, describe(ex.getCause())));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        results.put(e.getKey(), new Result(false, null, "interrupted"));
      }
    }
    return results;
  }

  private static CompletableFuture<Result> ask(NodeInfo node) {
    CompletableFuture<Result> result = new CompletableFuture<>();
    ManagedChannel channel;
    try {
      channel = Grpc.newChannelBuilder(node.getHost() + ":" + node.getApiPort(), InsecureChannelCredentials.create()).build();
    } catch (RuntimeException e) {
      result.complete(new Result(false, null, describe(e)));
      return result;
    }
    result.whenComplete((r, e) -> channel.shutdownNow());
    AdminGrpc.newStub(channel).withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .getNodeStatus(GetNodeStatusRequest.getDefaultInstance(), new StreamObserver<>() {
          @Override
          public void onNext(GetNodeStatusResponse status) {
            result.complete(new Result(true, status, ""));
          }

          @Override
          public void onError(Throwable t) {
            result.complete(new Result(false, null, describe(t)));
          }

          @Override
          public void onCompleted() {
            result.complete(new Result(false, null, "empty answer"));
          }
        });
    return result;
  }

  /** {@code UNAVAILABLE: connection refused}: the code and the innermost reason, short. */
  static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    String prefix = "";
    if (t instanceof StatusRuntimeException s) {
      prefix = s.getStatus().getCode().name();
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    // Netty's native transport: "finishConnect(..) failed with error(-111): Connection refused"
    reason = reason.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    if (root == t && t instanceof StatusRuntimeException s && s.getStatus().getDescription() != null) {
      reason = s.getStatus().getDescription();
    }
    String text = prefix.isEmpty() ? reason : prefix + ": " + reason;
    return text.length() > 160 ? text.substring(0, 157) + "..." : text;
  }
}
