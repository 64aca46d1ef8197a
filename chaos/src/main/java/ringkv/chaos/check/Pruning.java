package ringkv.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * Removes operations that cannot change whether one key's history is linearizable. Each rule is
 * exact; the point is speed, since every unknown-outcome write left in stays a candidate until the
 * end of the history and the configurations the search may visit multiply with them.
 *
 * <ul>
 *   <li>Fail operations did not happen; an info get constrains nothing.
 *   <li>A failed cas expecting {@code e} whose answer real-time order already forces is dropped:
 *       {@code e} is never written (from an absent start), or its one writer {@code W} returned
 *       before some ok write {@code X} of another value began, and {@code X} returned before the
 *       cas began. Every linearization then has {@code W < X < cas}, so the register does not hold
 *       {@code e} at the cas.
 *   <li>An info write {@code o} of {@code w} is dropped when nothing could observe it: no ok get
 *       reading {@code w}, no cas expecting {@code w}, and no failed cas (left after the rule
 *       above) returns after {@code o}'s invocation. Take a linearization with {@code o}: every
 *       operation placed after {@code o} returns after its invocation, so until the next write none
 *       of those stands between them, and the next write is no cas expecting {@code w}. Removing
 *       {@code o} leaves a valid linearization.
 * </ul>
 *
 * Unique workload values make the last two rules drop most failed cas operations and info writes.
 * The rules feed each other, so they run until nothing changes.
 */
final class Pruning {
  private Pruning() {}

  /**
   * {@code ops} (one key, invocation order) without operations that cannot matter.
   *
   * @param startsAbsent whether the register starts absent (else any value)
   */
  static List<Operation> relevant(List<Operation> ops, boolean startsAbsent) {
    List<Operation> kept = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      boolean infoGet = op.outcome() == Outcome.INFO && op.function() == OpFunction.GET;
      if (op.outcome() != Outcome.FAIL && !infoGet) {
        kept.add(op);
      }
    }
    while (true) {
      var next = withoutForcedFailedCas(kept, startsAbsent);
      next = withoutUnobservedInfoWrites(next);
      if (next.size() == kept.size()) {
        return kept;
      }
      kept = next;
    }
  }

  private static List<Operation> withoutForcedFailedCas(List<Operation> ops, boolean startsAbsent) {
    var writers = new HashMap<String, List<Operation>>();
    var okWrites = new ArrayList<Operation>(); // in invocation order
    for (Operation op : ops) {
      if (isStateChange(op) && op.function() != OpFunction.DELETE) {
        writers.computeIfAbsent(op.value(), v -> new ArrayList<>()).add(op);
      }
      if (isStateChange(op) && op.outcome() == Outcome.OK) {
        okWrites.add(op);
      }
    }
    // earliest return among ok writes invoked at or after position i
    long[] invokes = new long[okWrites.size()];
    long[] minReturnFrom = new long[okWrites.size() + 1];
    minReturnFrom[okWrites.size()] = Long.MAX_VALUE;
    for (int i = okWrites.size() - 1; i >= 0; i--) {
      invokes[i] = okWrites.get(i).invokeIndex();
      minReturnFrom[i] = Math.min(minReturnFrom[i + 1], okWrites.get(i).completeIndex());
    }
    var kept = new ArrayList<Operation>(ops.size());
    for (Operation op : ops) {
      boolean failedCas = op.function() == OpFunction.CAS && Boolean.FALSE.equals(op.succeeded());
      if (!failedCas) {
        kept.add(op);
        continue;
      }
      List<Operation> ws = writers.getOrDefault(op.expected(), List.of());
      boolean forced;
      if (ws.isEmpty()) {
        forced = startsAbsent;
      } else if (ws.size() == 1 && ws.get(0).outcome() == Outcome.OK) {
        int from = firstAfter(invokes, ws.get(0).completeIndex());
        forced = minReturnFrom[from] < op.invokeIndex();
      } else {
        forced = false;
      }
      if (!forced) {
        kept.add(op);
      }
    }
    return kept;
  }

  /** The first position whose invocation is after {@code index}. */
  private static int firstAfter(long[] invokes, long index) {
    int at = Arrays.binarySearch(invokes, index + 1);
    if (at < 0) {
      return -at - 1;
    }
    while (at > 0 && invokes[at - 1] == index + 1) {
      at--;
    }
    return at;
  }

  private static List<Operation> withoutUnobservedInfoWrites(List<Operation> ops) {
    Map<String, Long> lastObserverReturn = new HashMap<>();
    long lastAbsentReadReturn = -1;
    long lastFailedCasReturn = -1;
    for (Operation op : ops) {
      long ret = op.outcome() == Outcome.INFO ? Long.MAX_VALUE : op.completeIndex();
      if (op.function() == OpFunction.GET) {
        if (op.read() == null) {
          lastAbsentReadReturn = Math.max(lastAbsentReadReturn, ret);
        } else {
          lastObserverReturn.merge(op.read(), ret, Math::max);
        }
      } else if (op.function() == OpFunction.CAS) {
        if (Boolean.FALSE.equals(op.succeeded())) {
          lastFailedCasReturn = Math.max(lastFailedCasReturn, ret);
        } else {
          lastObserverReturn.merge(op.expected(), ret, Math::max);
        }
      }
    }
    var kept = new ArrayList<Operation>(ops.size());
    for (Operation op : ops) {
      boolean unobserved = false;
      if (op.outcome() == Outcome.INFO && op.isWrite() && lastFailedCasReturn < op.invokeIndex()) {
        long lastObserved =
            op.function() == OpFunction.DELETE
                ? lastAbsentReadReturn
                : lastObserverReturn.getOrDefault(op.value(), -1L);
        unobserved = lastObserved < op.invokeIndex();
      }
      if (!unobserved) {
        kept.add(op);
      }
    }
    return kept;
  }

  /** Put, delete, successful cas, or cas of unknown outcome. */
  private static boolean isStateChange(Operation op) {
    return op.isWrite() && !Boolean.FALSE.equals(op.succeeded());
  }
}
