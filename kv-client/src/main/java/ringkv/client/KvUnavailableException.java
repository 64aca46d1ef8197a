package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** No leader or quorum could be reached before the deadline. Retryable later. */
public final class KvUnavailableException extends KvException {
  public KvUnavailableException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
