package ringkv.client.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvAuthException;
import ringkv.client.KvException;
import ringkv.client.KvInternalException;
import ringkv.client.KvInvalidArgumentException;
import ringkv.client.KvOverloadedException;
import ringkv.client.KvTimeoutException;
import ringkv.client.KvUnavailableException;

/** Reads a failed attempt: its status, its {@link ErrorDetail}, whether to retry. */
final class FailureClassifier {
  private FailureClassifier() {}

  /** One failed attempt, as the retry loop sees it. */
  record AttemptFailure(Status status, @Nullable ErrorDetail detail, Throwable cause) {
    Status.Code code() {
      return status.getCode();
    }

    ErrorReason reason() {
      return detail == null ? ErrorReason.ERROR_REASON_UNSPECIFIED : detail.getReason();
    }

    /** Worth trying again, on this or another node, while the deadline allows. */
    boolean isRetryable() {
      return switch (code()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED -> true;
        // a full disk or heap does not clear up within a call's deadline: say so at once
        case RESOURCE_EXHAUSTED -> reason() != ErrorReason.DISK_FULL && reason() != ErrorReason.MEMORY_FULL;
        // ABORTED = stale routing; SESSION_EXPIRED is final (the outcome is unknown)
        case ABORTED -> reason() != ErrorReason.SESSION_EXPIRED;
        default -> false;
      };
    }

    /** Whether a write might have been applied despite this failure. */
    boolean writeMayHaveBeenApplied() {
      if (detail != null) {
        return detail.getMayHaveBeenApplied();
      }
      if (isConnectionRefused(cause)) {
        return false; // the request never left this machine
      }
      return switch (code()) {
        case INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAUTHENTICATED, PERMISSION_DENIED, ABORTED -> false;
        // the connection may have broken after the request was sent
        default -> true;
      };
    }

    /** The endpoint the server suggested (the shard leader's API address), or null. */
    @Nullable String leaderEndpoint() {
      return detail == null || detail.getLeaderEndpoint().isEmpty() ? null : detail.getLeaderEndpoint();
    }
  }

  private static boolean isConnectionRefused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  static AttemptFailure classify(Throwable t) {
    Status status = Status.fromThrowable(t);
    return new AttemptFailure(status, errorDetailOf(t), t);
  }

  static @Nullable ErrorDetail errorDetailOf(Throwable t) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(t);
    if (rich == null) {
      return null;
    }
    for (Any any : rich.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return any.unpack(ErrorDetail.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The exception a caller sees once retries are over. */
  static KvException toException(String operation, AttemptFailure last, boolean mayHaveBeenApplied, boolean deadlinePassed) {
    String description = last.status().getDescription();
    String message = operation + " failed: " + last.code() + (description == null ? "" : ": " + description);
    ErrorReason reason = last.reason();
    Status.Code code = last.code();
    Throwable cause = last.cause();
    if (deadlinePassed || code == Status.Code.DEADLINE_EXCEEDED) {
      return new KvTimeoutException(Status.Code.DEADLINE_EXCEEDED,
          reason == ErrorReason.ERROR_REASON_UNSPECIFIED ? ErrorReason.TIMEOUT : reason,
          message + " (call deadline passed)", mayHaveBeenApplied, cause);
    }
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION ->
          new KvInvalidArgumentException(code, reason, message, false, cause);
      case UNAVAILABLE, ABORTED -> new KvUnavailableException(code, reason, message, mayHaveBeenApplied, cause);
      case RESOURCE_EXHAUSTED -> new KvOverloadedException(code, reason, message, false, cause);
      case UNAUTHENTICATED, PERMISSION_DENIED -> new KvAuthException(code, reason, message, false, cause);
      default -> new KvInternalException(code, reason, message, mayHaveBeenApplied, cause);
    };
  }
}
