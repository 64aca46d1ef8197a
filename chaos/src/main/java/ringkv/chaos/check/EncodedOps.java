package ringkv.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * Operations of one key as the search sees them: each a step of the register model on int states,
 * with a call and a return position. An optional operation (outcome info) returns at infinity.
 */
final class EncodedOps {
  /** Applicable if the state is {@code arg}; leaves it. */
  static final byte READ = 0;

  /** Always applicable; the state becomes {@code arg}. */
  static final byte WRITE = 1;

  /** Applicable if the state is {@code expected}; it becomes {@code arg}. */
  static final byte CAS = 2;

  /** Applicable if the state is not {@code expected}; leaves it. */
  static final byte CAS_FALSE = 3;

  static final int INAPPLICABLE = -1;

  final List<Operation> ops;
  final int size;
  final byte[] kind;
  final int[] arg;
  final int[] expected;
  final boolean[] optional;

  /** Made required by {@link #requireObserved}: the search tries it only when nothing else goes. */
  final boolean[] lazy;

  /** Unknown-outcome puts of values nothing observes ({@link #markJunk}), in invocation order. */
  final int[] junkOrder;

  final boolean[] junk;
  final long[] call;
  final long[] ret;

  /**
   * @param ops operations with outcome ok or info, no info get (it constrains nothing)
   * @param startsAbsent whether the register starts absent, which allows {@link #requireObserved}
   */
  EncodedOps(List<Operation> ops, ValueIds ids, boolean startsAbsent) {
    this.ops = List.copyOf(ops);
    size = ops.size();
    kind = new byte[size];
    arg = new int[size];
    expected = new int[size];
    optional = new boolean[size];
    lazy = new boolean[size];
    call = new long[size];
    ret = new long[size];
    for (int i = 0; i < size; i++) {
      Operation op = ops.get(i);
      if (op.outcome() == Outcome.FAIL
          || (op.outcome() == Outcome.INFO && op.function() == OpFunction.GET)) {
        throw new IllegalArgumentException("fail operations and info gets are not checked: " + op);
      }
      optional[i] = op.outcome() == Outcome.INFO;
      call[i] = op.invokeIndex();
      ret[i] = optional[i] ? Long.MAX_VALUE : op.completeIndex();
      switch (op.function()) {
        case GET -> {
          kind[i] = READ;
          arg[i] = ids.id(op.read());
        }
        case PUT -> {
          kind[i] = WRITE;
          arg[i] = ids.id(op.value());
        }
        case DELETE -> {
          kind[i] = WRITE;
          arg[i] = ValueIds.ABSENT;
        }
        case CAS -> {
          // an info cas that failed changed nothing, the same as not happening: only its success
          // counts
          kind[i] = optional[i] || Boolean.TRUE.equals(op.succeeded()) ? CAS : CAS_FALSE;
          arg[i] = ids.id(op.value());
          expected[i] = ids.id(op.expected());
        }
      }
    }
    if (startsAbsent) {
      requireObserved();
    }
    junk = new boolean[size];
    junkOrder = markJunk(ids);
  }

  /**
   * Finds the unknown-outcome puts whose value nothing observes (no get reads it, no cas expects
   * it; kept only because a failed cas might need the register to hold something else). They differ
   * only in their invocation, so they share one state, and the search tries only the earliest not
   * yet linearized: any linearization using a later one can use that one instead. With k of them
   * open, the search sees k + 1 configurations where it would otherwise see 2^k. Unlike {@link
   * #lazy} operations they are tried first, like any call: measured on simulated histories, placing
   * them late made dead ends more expensive than placing them early.
   */
  private int[] markJunk(ValueIds ids) {
    var writers = new HashMap<Integer, Integer>();
    var observed = new HashSet<Integer>();
    for (int i = 0; i < size; i++) {
      if (kind[i] == WRITE || kind[i] == CAS) {
        writers.merge(arg[i], 1, Integer::sum);
      }
      if (kind[i] == READ) {
        observed.add(arg[i]);
      } else if (kind[i] == CAS || kind[i] == CAS_FALSE) {
        observed.add(expected[i]);
      }
    }
    int junkState = ids.fresh();
    var order = new ArrayList<Integer>();
    for (int i = 0; i < size; i++) {
      boolean unobservedPut =
          optional[i]
              && kind[i] == WRITE
              && arg[i] != ValueIds.ABSENT
              && writers.get(arg[i]) == 1
              && !observed.contains(arg[i]);
      if (unobservedPut) {
        junk[i] = true;
        arg[i] = junkState;
        order.add(i);
      }
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Makes an unknown-outcome write required when it alone writes a value that an ok operation
   * observed, and gives it that observer's return. This is exact: from an absent start the value
   * can only come from that write, so every linearization places the write before the observer's
   * linearization point. It matters for speed: an optional operation stays a candidate until the
   * end of the history, and the configurations multiply with the open ones; a required one is
   * linearized and gone.
   */
  private void requireObserved() {
    var writers = new HashMap<Integer, Integer>();
    var firstObserverReturn = new HashMap<Integer, Long>();
    for (int i = 0; i < size; i++) {
      if (kind[i] == WRITE || kind[i] == CAS) {
        writers.merge(arg[i], 1, Integer::sum);
      }
      if (optional[i]) {
        continue;
      }
      if (kind[i] == READ) {
        firstObserverReturn.merge(arg[i], ret[i], Math::min);
      } else if (kind[i] == CAS) {
        firstObserverReturn.merge(expected[i], ret[i], Math::min);
      }
    }
    for (int i = 0; i < size; i++) {
      boolean writes = kind[i] == WRITE || kind[i] == CAS;
      Long observed = firstObserverReturn.get(arg[i]);
      if (optional[i]
          && writes
          && arg[i] != ValueIds.ABSENT
          && writers.get(arg[i]) == 1
          && observed != null) {
        optional[i] = false;
        lazy[i] = true;
        // an observer that returned before the write began makes the history a violation; keep
        // the interval well-formed and let the search find that
        ret[i] = Math.max(observed, call[i]);
      }
    }
  }

  /** The state after operation {@code i} from {@code state}, or {@link #INAPPLICABLE}. */
  int step(int i, int state) {
    return switch (kind[i]) {
      case READ -> state == arg[i] ? state : INAPPLICABLE;
      case WRITE -> arg[i];
      case CAS -> state == expected[i] ? arg[i] : INAPPLICABLE;
      default -> state != expected[i] ? state : INAPPLICABLE;
    };
  }
}
