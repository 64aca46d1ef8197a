package ringkv.cli;

import io.grpc.Status;

/**
 * What one endpoint answered to {@code grpc.health.v1.Health/Check}, or to another call.
 *
 * @param state the serving status ({@code SERVING}, {@code NOT_SERVING}, {@code SERVICE_UNKNOWN},
 *     {@code UNKNOWN}), or the gRPC status code of a failed call ({@code UNAVAILABLE}, {@code
 *     DEADLINE_EXCEEDED}, ...)
 * @param detail why, for a failed call; empty otherwise
 */
public record EndpointHealth(String endpoint, String state, String detail) {
  public static final String SERVING = "SERVING";

  /** The answer of a call that failed: its gRPC status code, and why. */
  static EndpointHealth failed(String endpoint, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    return new EndpointHealth(endpoint, status.getCode().name(), describe(status));
  }

  public boolean isServing() {
    return SERVING.equals(state);
  }

  /** {@code endpoint STATE}, then {@code (detail)} when there is one. */
  public String line() {
    return endpoint + " " + outcome();
  }

  /** {@code STATE}, then {@code (detail)} when there is one: {@link #line} without the endpoint. */
  public String outcome() {
    return state + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** The status's description, then its cause's message, on one line. */
  private static String describe(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null) {
      // Netty prefixes socket errors with the syscall: "finishConnect(..) failed with error(-111):
      // "
      String why = cause.getMessage().replaceFirst("^.*failed with error\\(-?\\d+\\): ", "");
      description = description.isEmpty() ? why : description + ": " + why;
    }
    return description.replaceAll("\\s+", " ").trim();
  }
}
