package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** Bad or oversize input; nothing was changed. Not retryable. */
public final class KvInvalidArgumentException extends KvException {
  public KvInvalidArgumentException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
