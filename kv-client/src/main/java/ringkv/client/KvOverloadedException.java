package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** The cluster pushed back (RESOURCE_EXHAUSTED). Retry after a pause. */
public final class KvOverloadedException extends KvException {
  public KvOverloadedException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
