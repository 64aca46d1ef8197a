package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.Compare;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.DeleteResult;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.GetResult;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.PutResult;
import ringkv.api.v1.TxnCompare;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnResult;
import ringkv.api.v1.TxnStep;
import ringkv.api.v1.TxnStepResult;

/**
 * Applies single-key writes and transactions to a {@link PartitionedStore} at one revision.
 * Runs on the apply thread only; deterministic (the same store and op give the same result on
 * every replica). A transaction is atomic because nothing else touches the store while it runs.
 */
final class TxnApplier {
  private TxnApplier() {}

  static PutResult put(PartitionedStore store, PutOp put, long revision) {
    StoredValue previous = store.put(put.getPartition(), put.getKey(), put.getValue(), revision);
    PutResult.Builder result = PutResult.newBuilder();
    if (put.getPrevKv() && previous != null) {
      result.setPrevKv(previous.toKeyValue(put.getKey()));
    }
    return result.build();
  }

  static DeleteResult delete(PartitionedStore store, DeleteOp delete) {
    StoredValue previous = store.delete(delete.getPartition(), delete.getKey());
    DeleteResult.Builder result = DeleteResult.newBuilder().setDeleted(previous != null);
    if (delete.getPrevKv() && previous != null) {
      result.setPrevKv(previous.toKeyValue(delete.getKey()));
    }
    return result.build();
  }

  static GetResult get(PartitionedStore store, GetQuery get) {
    StoredValue value = store.get(get.getPartition(), get.getKey());
    GetResult.Builder result = GetResult.newBuilder().setFound(value != null);
    if (value != null) {
      result.setKv(value.toKeyValue(get.getKey()));
    }
    return result.build();
  }

  static TxnResult txn(PartitionedStore store, TxnOp txn, long revision) {
    boolean succeeded = true;
    for (TxnCompare compare : txn.getComparesList()) {
      if (!holds(store.get(compare.getPartition(), compare.getCompare().getKey()), compare.getCompare())) {
        succeeded = false;
        break;
      }
    }
    TxnResult.Builder result = TxnResult.newBuilder().setSucceeded(succeeded);
    for (TxnStep step : succeeded ? txn.getSuccessList() : txn.getFailureList()) {
      TxnStepResult.Builder stepResult = TxnStepResult.newBuilder();
      switch (step.getStepCase()) {
        case PUT -> stepResult.setPut(put(store, step.getPut(), revision));
        case DELETE -> stepResult.setDelete(delete(store, step.getDelete()));
        case GET -> stepResult.setGet(get(store, step.getGet()));
        case STEP_NOT_SET -> throw new IllegalStateException("txn step without an operation at revision " + revision);
      }
      result.addResults(stepResult);
    }
    return result.build();
  }

  /** Whether {@code compare} holds for a key whose current value is {@code current} (null = absent). */
  static boolean holds(@Nullable StoredValue current, Compare compare) {
    int order = switch (compare.getTarget()) {
      case VERSION -> Long.compare(current == null ? 0 : current.version(), compare.getVersion());
      case CREATE -> Long.compare(current == null ? 0 : current.createRevision(), compare.getCreateRevision());
      case MOD -> Long.compare(current == null ? 0 : current.modRevision(), compare.getModRevision());
      case VALUE -> {
        if (current == null) {
          yield Integer.MIN_VALUE; // no value: only NOT_EQUAL holds
        }
        yield Integer.signum(ByteString.unsignedLexicographicalComparator().compare(current.value(), compare.getValue()));
      }
      case EXISTS -> Boolean.compare(current != null, compare.getExists());
      case UNRECOGNIZED -> throw new IllegalStateException("unknown compare target");
    };
    if (order == Integer.MIN_VALUE) {
      return compare.getResult() == Compare.CompareResult.NOT_EQUAL;
    }
    return switch (compare.getResult()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case GREATER -> order > 0;
      case LESS -> order < 0;
      case UNRECOGNIZED -> throw new IllegalStateException("unknown compare result");
    };
  }
}
