package ringkv.chaos.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * Turns a failed search into a small counterexample.
 *
 * <p>Implementation notes. A sub-history is checked on its own, from an absent register when it
 * "starts absent" and otherwise from any value (tried one by one: absent, each value it reads or
 * compares with, and one no operation mentions; any other start behaves like that last one).
 *
 * <p>The search reports the latest return it had to backtrack from. No linearization gets past it,
 * so the operations invoked before it, from absent, are not linearizable: the window search below
 * ends there at worst (and falls back to the whole history, which is a violation). It first tries
 * the 4, 8, 16, ... operations invoked before the stuck one, with any start value, plus those still
 * running then.
 *
 * <p>Shrinking then removes operations while the rest stays a violation, in two passes. The first
 * removes a write together with the reads and cas operations that observed its value: removing the
 * write alone could make those reads unexplainable, turning the counterexample into an artefact of
 * the shrinking instead of the bug. The second removes single operations until none can go, which
 * makes the result 1-minimal.
 */
final class Shrinker {
  private final long maxStates;
  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private boolean exhausted;

  Shrinker(long maxStates, long deadlineNanos, LongSupplier nanoTime) {
    this.maxStates = maxStates;
    this.deadlineNanos = deadlineNanos;
    this.nanoTime = nanoTime;
  }

  /** A sub-history and whether it is checked from absent (else from any value). */
  record Window(List<Operation> ops, boolean startsAbsent) {}

  /**
   * A counterexample for a key whose search proved a violation.
   *
   * @param relevant the key's operations the search saw, invocation order
   * @param stuck position in {@code relevant} of the search's stuck operation
   * @param stuckReturn the return position the search gave that operation
   */
  Counterexample shrink(
      List<Operation> relevant, int stuck, long stuckReturn, List<Operation> allOfKey) {
    List<Operation> prefix =
        relevant.stream().filter(op -> op.invokeIndex() < stuckReturn).toList();
    // the whole history is a violation: the fallback if no window is (only the budget should
    // make that happen)
    var window = new Window(relevant, true);
    for (int k = 4; !exhausted; k *= 2) {
      int lo = Math.max(0, stuck - k);
      long from = relevant.get(lo).invokeIndex();
      List<Operation> candidate =
          prefix.stream()
              .filter(op -> op.outcome() == Outcome.INFO || op.completeIndex() >= from)
              .toList();
      if (Boolean.TRUE.equals(violates(candidate, lo == 0))) {
        window = new Window(candidate, lo == 0);
        break;
      }
      if (lo == 0) {
        break;
      }
    }
    return minimize(window, allOfKey);
  }

  /**
   * For a key whose search ran out of budget: a window around the stuck operation that is a
   * violation and proves the whole key is one, or null.
   *
   * <p>A window here is cut at quiescent points, where no operation with a known completion is
   * running: it holds the operations invoked between the cuts plus every unknown-outcome operation
   * invoked before the later cut. Take a linearization of the key's history: the operations that
   * completed before the first cut come before every ok operation of the window, and operations
   * invoked after the second cut come after all of them. The stretch from the last earlier
   * operation to the last ok operation of the window, minus the earlier-invoked unknown ones placed
   * before that, is then a linearization of the window from the state at its start. So a window
   * that no start value makes linearizable proves a violation. Cut at the start of the history, the
   * window starts absent.
   */
  @Nullable Window quiescentWindow(List<Operation> relevant, int stuck, long stuckReturn) {
    // cuts are invocation positions; a cut is quiescent if every ok operation invoked before it
    // has returned before it
    var quiescent = new ArrayList<Long>();
    long maxReturn = -1;
    for (Operation op : relevant) {
      if (maxReturn < op.invokeIndex()) {
        quiescent.add(op.invokeIndex());
      }
      if (op.outcome() == Outcome.OK) {
        maxReturn = Math.max(maxReturn, op.completeIndex());
      }
    }
    // window edges to try: the nearest cuts first, then ever further ones (1st, 2nd, 4th, ...),
    // ending with the start of the history (Long.MIN_VALUE: from absent) and its end
    long stuckInvoke = relevant.get(stuck).invokeIndex();
    List<Long> starts = spread(quiescent.stream().filter(c -> c <= stuckInvoke).toList(), true);
    starts.add(Long.MIN_VALUE);
    List<Long> ends = spread(quiescent.stream().filter(c -> c > stuckReturn).toList(), false);
    ends.add(Long.MAX_VALUE);
    for (int sum = 0; sum < starts.size() + ends.size() - 1; sum++) {
      for (int a = Math.max(0, sum - ends.size() + 1); a <= Math.min(sum, starts.size() - 1); a++) {
        long start = starts.get(a);
        long end = ends.get(sum - a);
        List<Operation> ops =
            relevant.stream()
                .filter(op -> op.invokeIndex() < end)
                .filter(op -> op.invokeIndex() >= start || op.outcome() == Outcome.INFO)
                .toList();
        boolean fromStart = start == Long.MIN_VALUE;
        if (exhausted) {
          return null;
        }
        if (Boolean.TRUE.equals(violates(ops, fromStart))) {
          return new Window(ops, fromStart);
        }
      }
    }
    return null;
  }

  /** The 1st, 2nd, 4th, 8th, ... of {@code cuts}, counted from the end if {@code fromLast}. */
  private static List<Long> spread(List<Long> cuts, boolean fromLast) {
    var picked = new ArrayList<Long>();
    for (int k = 1; k <= cuts.size(); k *= 2) {
      picked.add(fromLast ? cuts.get(cuts.size() - k) : cuts.get(k - 1));
    }
    return picked;
  }

  /**
   * Shrinks a violating window to a counterexample; if the budget runs out first it is reported as
   * not minimal.
   */
  Counterexample minimize(Window window, List<Operation> allOfKey) {
    var current = new ArrayList<>(window.ops());
    boolean absent = window.startsAbsent();
    absent = minimize(current, absent, true);
    absent = minimize(current, absent, false);
    return new Counterexample(
        current, absent, !exhausted, Explainer.explain(current, absent, allOfKey));
  }

  /** Removes operations from {@code ops} while it stays a violation; returns startsAbsent. */
  private boolean minimize(List<Operation> ops, boolean startsAbsent, boolean withObservers) {
    boolean changed = true;
    while (changed && !exhausted) {
      changed = false;
      if (startsAbsent && Boolean.TRUE.equals(violates(ops, false))) {
        startsAbsent = false;
        changed = true;
      }
      int i = 0;
      while (i < ops.size() && !exhausted) {
        Set<Operation> removal =
            withObservers ? withObservers(ops, ops.get(i)) : Set.of(ops.get(i));
        var candidate = new ArrayList<Operation>(ops.size());
        for (Operation op : ops) {
          if (!removal.contains(op)) {
            candidate.add(op);
          }
        }
        if (!candidate.isEmpty() && Boolean.TRUE.equals(violates(candidate, startsAbsent))) {
          ops.clear();
          ops.addAll(candidate);
          changed = true;
        } else {
          i++;
        }
      }
    }
    return startsAbsent;
  }

  /** {@code op}, and if it writes, the operations in {@code ops} that observe its value. */
  private static Set<Operation> withObservers(List<Operation> ops, Operation op) {
    Set<Operation> removal = new HashSet<>();
    removal.add(op);
    boolean writes =
        op.function() == OpFunction.PUT
            || op.function() == OpFunction.DELETE
            || (op.function() == OpFunction.CAS && !Boolean.FALSE.equals(op.succeeded()));
    if (!writes) {
      return removal;
    }
    String written = op.value(); // null for delete: absent
    for (Operation other : ops) {
      boolean reads = other.function() == OpFunction.GET && Objects.equals(other.read(), written);
      boolean compares =
          other.function() == OpFunction.CAS
              && !Boolean.FALSE.equals(other.succeeded())
              && Objects.equals(other.expected(), written);
      if (reads || compares) {
        removal.add(other);
      }
    }
    return removal;
  }

  /**
   * Whether {@code ops} is not linearizable from absent (if {@code startsAbsent}) or from any
   * value; null if the budget ran out.
   */
  @Nullable Boolean violates(List<Operation> ops, boolean startsAbsent) {
    var ids = new ValueIds();
    var encoded = new EncodedOps(ops, ids, startsAbsent);
    var starts = new ArrayList<Integer>();
    starts.add(ValueIds.ABSENT);
    if (!startsAbsent) {
      for (Operation op : ops) {
        if (op.read() != null) {
          starts.add(ids.id(op.read()));
        }
        if (op.expected() != null) {
          starts.add(ids.id(op.expected()));
        }
      }
      starts.add(ids.fresh());
    }
    for (int start : new HashSet<>(starts)) {
      if (nanoTime.getAsLong() - deadlineNanos > 0) {
        exhausted = true;
        return null;
      }
      var result = RegisterSearch.search(encoded, start, maxStates, deadlineNanos, nanoTime);
      switch (result.status()) {
        case LINEARIZABLE -> {
          return false;
        }
        case BUDGET_EXCEEDED -> {
          exhausted = true;
          return null;
        }
        case NOT_LINEARIZABLE -> {}
      }
    }
    return true;
  }
}
