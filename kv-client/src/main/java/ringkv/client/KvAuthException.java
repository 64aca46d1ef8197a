package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** The caller is not authenticated or not permitted. */
public final class KvAuthException extends KvException {
  public KvAuthException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
