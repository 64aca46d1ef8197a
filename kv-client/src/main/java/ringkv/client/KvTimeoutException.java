package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** The call deadline passed; see {@link #mayHaveBeenApplied()} for writes. */
public final class KvTimeoutException extends KvException {
  public KvTimeoutException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
