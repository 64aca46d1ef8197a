package ringkv.chaos.check;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.Operation;

/**
 * The check of one key.
 *
 * @param key the register
 * @param verdict linearizable, violation, or unknown (budget exceeded)
 * @param operations operations of the key in the history, fail and info ones included
 * @param searchedOperations operations the search considered: without fail operations, info gets
 *     and info writes nothing could observe
 * @param statesExplored configurations the search visited (shrinking not included)
 * @param elapsed time spent on the key, shrinking included
 * @param counterexample for a violation: a small sub-history that is not linearizable; else null
 * @param stuckAt for a violation or unknown: the operation whose return the search backtracked from
 *     latest, where to look first (for unknown only a hint: the search had not finished); null if
 *     the search never had to backtrack
 */
public record KeyResult(
    String key,
    Verdict verdict,
    int operations,
    int searchedOperations,
    long statesExplored,
    Duration elapsed,
    @Nullable Counterexample counterexample,
    @Nullable Operation stuckAt) {

  public KeyResult {
    if ((verdict == Verdict.VIOLATION) != (counterexample != null)) {
      throw new IllegalArgumentException(
          "a counterexample goes with exactly a violation, got " + verdict);
    }
    if (operations < 0 || searchedOperations < 0 || searchedOperations > operations) {
      throw new IllegalArgumentException(
          "need 0 <= searchedOperations <= operations, got "
              + searchedOperations
              + " and "
              + operations);
    }
  }

  /** One line, plus the counterexample for a violation. */
  public String render() {
    String line =
        String.format(
            "key %s: %s (%d operations, %d searched, %d states, %d ms)",
            key, verdict, operations, searchedOperations, statesExplored, elapsed.toMillis());
    if (verdict == Verdict.UNKNOWN && stuckAt != null) {
      line +=
          "; the search was backtracking from the return of #"
              + stuckAt.invokeIndex()
              + " "
              + stuckAt.describe()
              + " at index "
              + stuckAt.completeIndex();
    }
    return counterexample == null ? line : line + "\n" + counterexample.render();
  }
}
