package ringkv.server;

import ringkv.api.v1.ErrorReason;

/**
 * A request the node could not serve, with the machine-readable reason that
 * {@code StatusMapper} turns into a gRPC status. Raised at the server edge (validation) and by
 * {@code CommandSubmitter}, which turns Ratis exceptions into these.
 */
public final class RequestFailedException extends RuntimeException {
  private final ErrorReason reason;
  private final boolean mayHaveBeenApplied;
  private final String field;
  private final long limit;

  public RequestFailedException(ErrorReason reason, String message, boolean mayHaveBeenApplied) {
    this(reason, message, mayHaveBeenApplied, "", 0, null);
  }

  public RequestFailedException(ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    this(reason, message, mayHaveBeenApplied, "", 0, cause);
  }

  private RequestFailedException(ErrorReason reason, String message, boolean mayHaveBeenApplied, String field, long limit, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
    this.mayHaveBeenApplied = mayHaveBeenApplied;
    this.field = field;
    this.limit = limit;
  }

  /** Bad input: names the field and the limit it broke. Nothing was applied. */
  public static RequestFailedException invalid(ErrorReason reason, String field, long limit, String message) {
    return new RequestFailedException(reason, message, false, field, limit, null);
  }

  public ErrorReason reason() {
    return reason;
  }

  public boolean mayHaveBeenApplied() {
    return mayHaveBeenApplied;
  }

  public String field() {
    return field;
  }

  public long limit() {
    return limit;
  }
}
