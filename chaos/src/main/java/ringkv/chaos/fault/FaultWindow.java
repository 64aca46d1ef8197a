package ringkv.chaos.fault;

/**
 * One fault as it happened: when it was injected and healed, on the run's clock (nanoseconds
 * since the run started, the same clock as the history), what it did and what it saw.
 */
public record FaultWindow(int number, String fault, String description, long injectedNanos, long healedNanos, String outcome) {
  public FaultWindow {
    if (healedNanos < injectedNanos) {
      throw new IllegalArgumentException("fault " + number + " healed at " + healedNanos + " before its inject at " + injectedNanos);
    }
  }

  public boolean covers(long nanos) {
    return nanos >= injectedNanos && nanos <= healedNanos;
  }
}
