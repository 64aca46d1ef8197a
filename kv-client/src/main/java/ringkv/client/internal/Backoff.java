package ringkv.client.internal;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * {@code [0, min(max, base * 2^n)]}, so that many clients retrying after the same failure do
 * not arrive together.
 */
final class Backoff {
  private final long baseNanos;
  private final long maxNanos;
  private final LongUnaryOperator uniformBelow;

  /** {@code uniformBelow.applyAsLong(n)} returns a uniform random value in [0, n]. */
  Backoff(Duration base, Duration max, LongUnaryOperator uniformBelow) {
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.uniformBelow = uniformBelow;
  }

  /** The delay before retry number {@code retry} (0 for the first retry). */
  Duration delay(int retry) {
    long ceiling = baseNanos << Math.min(retry, 30);
    if (ceiling <= 0 || ceiling > maxNanos) {
      ceiling = maxNanos;
    }
    return Duration.ofNanos(uniformBelow.applyAsLong(ceiling));
  }
}
