package ringkv.server.grpc;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.ErrorReasonCode;
import ringkv.api.v1.Rejection;
import ringkv.server.RequestFailedException;
import ringkv.api.v1.NodeInfo;

/**
 * The one place that turns failures into gRPC statuses: a code from DESIGN.md's table and an
 * {@link ErrorDetail} in the rich-status trailer. INTERNAL is only for bugs.
 */
public final class StatusMapper {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);

  public StatusRuntimeException toStatus(Throwable failure, long epoch, NodeInfo leader) {
    Throwable t = unwrap(failure);
    if (t instanceof RequestFailedException e) {
      return build(e.reason(), e.getMessage(), e.mayHaveBeenApplied(), e.field(), e.limit(), epoch, leader);
    }
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    LOG.error("request failed with an unexpected exception", t);
    return build(ErrorReason.INTERNAL_ERROR, "internal error: " + t, true, "", 0, epoch, leader);
  }

  StatusRuntimeException rejected(Rejection rejection, long epoch, NodeInfo leader) {
    ErrorReason reason = rejection.getReason() == ErrorReasonCode.REJECT_SESSION_EXPIRED
        ? ErrorReason.SESSION_EXPIRED
        : ErrorReason.PARTITION_MOVED;
    boolean mayHaveBeenApplied = reason == ErrorReason.SESSION_EXPIRED;
    return build(reason, rejection.getMessage(), mayHaveBeenApplied, "", 0, epoch, leader);
  }

  static Status.Code codeOf(ErrorReason reason) {
    return switch (reason) {
      case KEY_EMPTY, KEY_TOO_LARGE, VALUE_TOO_LARGE, INVALID_FIELD -> Status.Code.INVALID_ARGUMENT;
      case NO_LEADER, NODE_NOT_READY, NODE_STOPPING -> Status.Code.UNAVAILABLE;
      case STALE_EPOCH, PARTITION_MOVED, SESSION_EXPIRED -> Status.Code.ABORTED;
      case OVERLOADED, DISK_FULL, MEMORY_FULL -> Status.Code.RESOURCE_EXHAUSTED;
      case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
      case WRONG_CLUSTER_ID -> Status.Code.FAILED_PRECONDITION;
      case DUPLICATE_NODE -> Status.Code.ALREADY_EXISTS;
      case INTERNAL_ERROR, ERROR_REASON_UNSPECIFIED, UNRECOGNIZED -> Status.Code.INTERNAL;
    };
  }

  private static StatusRuntimeException build(ErrorReason reason, String message, boolean mayHaveBeenApplied,
      String field, long limit, long epoch, NodeInfo leader) {
    ErrorDetail.Builder detail = ErrorDetail.newBuilder()
        .setReason(reason)
        .setEpoch(epoch)
        .setMayHaveBeenApplied(mayHaveBeenApplied)
        .setField(field)
        .setLimit(limit);
    if (leader != null) {
      detail.setLeaderHint(leader.getId()).setLeaderEndpoint(leader.getHost() + ":" + leader.getApiPort());
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(codeOf(reason).value())
        .setMessage(message)
        .addDetails(Any.pack(detail.build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
