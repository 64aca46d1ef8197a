package ringkv.client;

import io.grpc.Status;
import ringkv.api.v1.ErrorReason;

/** A bug in RingKV (INTERNAL or an unexpected status); please report it. */
public final class KvInternalException extends KvException {
  public KvInternalException(Status.Code code, ErrorReason reason, String message, boolean mayHaveBeenApplied, Throwable cause) {
    super(code, reason, message, mayHaveBeenApplied, cause);
  }
}
