package ringkv.chaos.check;

import java.time.Duration;

/**
 * Limits of the search for one key. A key that exceeds either is {@link Verdict#UNKNOWN}. When a
 * key is a violation, shrinking its counterexample gets the same limits again (each search within
 * it at most {@code maxStates}, all of them together at most {@code maxTime}); if they run out, the
 * counterexample is reported as not minimal.
 *
 * @param maxStates configurations one search may visit; each costs a few hundred bytes of heap
 * @param maxTime wall time for one key's search
 */
public record CheckBudget(long maxStates, Duration maxTime) {

  /** 2 million configurations (a few hundred MB at most) and 30 s per key. */
  public static final CheckBudget DEFAULT = new CheckBudget(2_000_000, Duration.ofSeconds(30));

  public CheckBudget {
    if (maxStates < 1) {
      throw new IllegalArgumentException("maxStates must be >= 1, got " + maxStates);
    }
    if (maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("maxTime must be positive, got " + maxTime);
    }
  }
}
