package ringkv.chaos.history;

/** How an operation ended, as far as its client knows. */
public enum Outcome {
  /** It took effect, with the recorded result. */
  OK,
  /** It definitely did not take effect. */
  FAIL,
  /**
   * It may or may not have taken effect, at any time after its invocation: an {@code info}
   * completion, or none recorded before the history ended.
   */
  INFO
}
