package ringkv.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Operations;

/**
 * Checks that a history of get/put/delete/cas operations on independent registers is linearizable,
 * key by key (linearizability is local: the history is linearizable exactly when each key's
 * sub-history is). Every key starts absent.
 *
 * <p>Stateless apart from its budget; one instance may check many histories, from one thread at a
 * time per call (calls do not share state, so concurrent calls are fine too).
 *
 * <p>How the search works, and its limits: {@link RegisterSearch}, {@link Pruning}, {@link
 * Shrinker} and docs/chaos.md ("Histories and the checker").
 */
public final class LinearizabilityChecker {
  private final CheckBudget budget;
  private final LongSupplier nanoTime;

  public LinearizabilityChecker(CheckBudget budget) {
    this(budget, System::nanoTime);
  }

  /** With the clock that budgets and elapsed times are measured on. */
  public LinearizabilityChecker(CheckBudget budget, LongSupplier nanoTime) {
    this.budget = budget;
    this.nanoTime = nanoTime;
  }

  /** Checks every key of {@code operations} (any order, any keys), one after the other. */
  public CheckResult check(List<Operation> operations) {
    var results = new ArrayList<KeyResult>();
    for (Map.Entry<String, List<Operation>> key : Operations.byKey(operations).entrySet()) {
      results.add(checkKey(key.getKey(), key.getValue()));
    }
    return new CheckResult(results);
  }

  /**
   * Checks one key.
   *
   * @param operations all operations of {@code key}, any order
   * @throws IllegalArgumentException if an operation is on another key
   */
  public KeyResult checkKey(String key, List<Operation> operations) {
    long start = nanoTime.getAsLong();
    List<Operation> ofKey = new ArrayList<>(operations);
    ofKey.sort((a, b) -> Long.compare(a.invokeIndex(), b.invokeIndex()));
    for (Operation op : ofKey) {
      if (!op.key().equals(key)) {
        throw new IllegalArgumentException(
            "operation on key " + op.key() + " given to check key " + key);
      }
    }
    List<Operation> relevant = Pruning.relevant(ofKey, true);
    var encoded = new EncodedOps(relevant, new ValueIds(), true);
    long deadline = start + budget.maxTime().toNanos();
    var result =
        RegisterSearch.search(encoded, ValueIds.ABSENT, budget.maxStates(), deadline, nanoTime);
    Counterexample counterexample = null;
    Verdict verdict =
        switch (result.status()) {
          case LINEARIZABLE -> Verdict.LINEARIZABLE;
          case BUDGET_EXCEEDED -> Verdict.UNKNOWN;
          case NOT_LINEARIZABLE -> Verdict.VIOLATION;
        };
    long shrinkDeadline = nanoTime.getAsLong() + budget.maxTime().toNanos();
    var shrinker = new Shrinker(budget.maxStates(), shrinkDeadline, nanoTime);
    if (verdict == Verdict.VIOLATION) {
      counterexample =
          shrinker.shrink(relevant, result.stuckOp(), encoded.ret[result.stuckOp()], ofKey);
    } else if (verdict == Verdict.UNKNOWN && result.stuckOp() >= 0) {
      // proving a violation means exhausting every alternative before it, which a long history
      // can make too costly; a window between quiescent points can prove it instead
      var window =
          shrinker.quiescentWindow(relevant, result.stuckOp(), encoded.ret[result.stuckOp()]);
      if (window != null) {
        verdict = Verdict.VIOLATION;
        counterexample = shrinker.minimize(window, ofKey);
      }
    }
    return new KeyResult(
        key,
        verdict,
        ofKey.size(),
        relevant.size(),
        result.states(),
        Duration.ofNanos(nanoTime.getAsLong() - start),
        counterexample,
        result.stuckOp() < 0 ? null : relevant.get(result.stuckOp()));
  }

  /**
   * Checks a sub-history on its own, as a counterexample is checked: from absent if {@code
   * startsAbsent}, else from any value. For verifying counterexamples and tests.
   */
  public Verdict checkSubHistory(List<Operation> operations, boolean startsAbsent) {
    var ofKey = new ArrayList<>(Pruning.relevant(sorted(operations), startsAbsent));
    long deadline = nanoTime.getAsLong() + budget.maxTime().toNanos();
    Boolean violates =
        new Shrinker(budget.maxStates(), deadline, nanoTime).violates(ofKey, startsAbsent);
    if (violates == null) {
      return Verdict.UNKNOWN;
    }
    return violates ? Verdict.VIOLATION : Verdict.LINEARIZABLE;
  }

  private static List<Operation> sorted(List<Operation> operations) {
    var copy = new ArrayList<>(operations);
    copy.sort((a, b) -> Long.compare(a.invokeIndex(), b.invokeIndex()));
    return copy;
  }
}
