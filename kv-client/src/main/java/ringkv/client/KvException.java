package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/**
 * A failed RingKV call. Subclasses name the kind of failure; {@link #reason()} is the precise,
 * machine-readable cause (branch on it, never on the message).
 */
public class KvException extends RuntimeException {
  private final Status.Code code;
  private final ErrorReason reason;
  private final boolean mayHaveBeenApplied;

  public KvException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
    this.mayHaveBeenApplied = mayHaveBeenApplied;
  }

  /** The gRPC status code of the final attempt. */
  public Status.Code code() {
    return code;
  }

  public ErrorReason reason() {
    return reason;
  }

  /**
   * True if the write may have been applied even though the call failed (for example the deadline
   * passed while a leader was replicating it). The caller must then treat the outcome as unknown:
   * read the key to find out, or retry the same logical operation idempotently. Always false for
   * reads and for errors raised before anything was sent.
   */
  public boolean mayHaveBeenApplied() {
    return mayHaveBeenApplied;
  }
}
