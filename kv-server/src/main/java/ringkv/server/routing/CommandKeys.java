package ringkv.server.routing;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.Command;
import ringkv.api.v1.TxnCompare;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnStep;

/**
 * The keys a command reads or writes, which decide whether two commands may share a log entry.
 *
 * <p>Why it matters: every command of an entry is applied at the entry's log index, so it gets
 * that index as its revision. Two writes of one key in one entry would get the same
 * {@code mod_revision}, and a client that compares against the revision of its own put (the
 * etcd idiom "update if nobody wrote since me") would succeed over the other write. So a key is
 * written at most once per entry, and every write of a key gets a revision of its own, as in etcd.
 */
final class CommandKeys {
  private CommandKeys() {}

  /** The keys {@code command} touches, or null when it may touch any key (a range delete). */
  static @Nullable Set<ByteString> of(Command command) {
    return switch (command.getOpCase()) {
      case PUT -> Set.of(command.getPut().getKey());
      case DELETE -> Set.of(command.getDelete().getKey());
      case TXN -> txnKeys(command.getTxn());
      case DELETE_RANGE, OP_NOT_SET -> null;
    };
  }

  private static Set<ByteString> txnKeys(TxnOp txn) {
    Set<ByteString> keys = new HashSet<>();
    for (TxnCompare compare : txn.getComparesList()) {
      keys.add(compare.getCompare().getKey());
    }
    addStepKeys(keys, txn.getSuccessList());
    addStepKeys(keys, txn.getFailureList());
    return keys;
  }

  private static void addStepKeys(Set<ByteString> keys, Iterable<TxnStep> steps) {
    for (TxnStep step : steps) {
      switch (step.getStepCase()) {
        case PUT -> keys.add(step.getPut().getKey());
        case DELETE -> keys.add(step.getDelete().getKey());
        case GET -> keys.add(step.getGet().getKey());
        case STEP_NOT_SET -> { }
      }
    }
  }
}
