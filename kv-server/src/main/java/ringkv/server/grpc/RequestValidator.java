package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import ringkv.api.v1.ErrorReason;
import ringkv.server.RequestFailedException;
import ringkv.server.config.RequestLimits;

/** Checks request sizes against the node's {@link RequestLimits} before anything is applied. */
final class RequestValidator {
  private final RequestLimits limits;

  RequestValidator(RequestLimits limits) {
    this.limits = limits;
  }

  void checkKey(ByteString key) {
    if (key.isEmpty()) {
      throw RequestFailedException.invalid(ErrorReason.KEY_EMPTY, "key", 1, "key must not be empty");
    }
    if (key.size() > limits.maxKeyBytes()) {
      throw RequestFailedException.invalid(ErrorReason.KEY_TOO_LARGE, "key", limits.maxKeyBytes(),
          "key is " + key.size() + " bytes; the limit is " + limits.maxKeyBytes() + " bytes (max-key-bytes)");
    }
  }

  void checkConsistency(ringkv.api.v1.Consistency consistency, long minRevision) {
    if (consistency == ringkv.api.v1.Consistency.UNRECOGNIZED) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "consistency", 0,
          "unknown consistency value; use LINEARIZABLE (default) or SERIALIZABLE");
    }
    if (minRevision < 0) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "min_revision", 0, "min_revision must be >= 0, got " + minRevision);
    }
  }

  void checkValue(ByteString value) {
    if (value.size() > limits.maxValueBytes()) {
      throw RequestFailedException.invalid(ErrorReason.VALUE_TOO_LARGE, "value", limits.maxValueBytes(),
          "value is " + value.size() + " bytes; the limit is " + limits.maxValueBytes() + " bytes (max-value-bytes)");
    }
  }
}
