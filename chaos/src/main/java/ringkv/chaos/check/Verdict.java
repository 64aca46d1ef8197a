package ringkv.chaos.check;

/** What the checker concluded about one key, or about a whole history. */
public enum Verdict {
  /** A linearization exists (the checker found one). */
  LINEARIZABLE,
  /** No linearization exists. */
  VIOLATION,
  /** The search ran out of budget: no conclusion, neither a pass nor a violation. */
  UNKNOWN
}
