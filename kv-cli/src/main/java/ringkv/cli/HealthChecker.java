package ringkv.cli;

import java.time.Duration;
import java.util.List;

/** Asks endpoints for their gRPC health; {@link GrpcHealthChecker} is the real one. */
public interface HealthChecker {
  /**
   * Checks every endpoint, all within {@code timeout}. Never throws for an endpoint that is down:
   * that endpoint's answer says so.
   *
   * @return one answer per endpoint, in the order given
   */
  List<EndpointHealth> check(List<String> endpoints, Duration timeout);
}
