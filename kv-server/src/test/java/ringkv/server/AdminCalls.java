package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.server.testing.MiniCluster;

/** Admin calls the cluster-change tests share: read the map, wait for a state of it, expect a refusal. */
final class AdminCalls {
  private AdminCalls() {}

  static ClusterMap map(AdminGrpc.AdminBlockingStub admin) {
    return admin.withDeadlineAfter(10, TimeUnit.SECONDS).getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap();
  }

  /** Reads the map every 50 ms until {@code done} holds (a failed read counts as not yet); returns that map. */
  static ClusterMap awaitMap(AdminGrpc.AdminBlockingStub admin, Duration timeout, String what, Predicate<ClusterMap> done) {
    AtomicReference<ClusterMap> last = new AtomicReference<>();
    MiniCluster.await(what, timeout, () -> {
      try {
        last.set(map(admin));
      } catch (StatusRuntimeException e) {
        return false;
      }
      return done.test(last.get());
    });
    return last.get();
  }

  /** {@code call} fails with INVALID_ARGUMENT whose message contains {@code reason}. */
  static void assertRefused(Runnable call, String reason) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("refused: " + reason).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(reason);
  }
}
