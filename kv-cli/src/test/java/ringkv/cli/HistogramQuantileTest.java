package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Expected values are what Prometheus' {@code histogram_quantile} gives for the same buckets. */
class HistogramQuantileTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  /** Alternating upper bound and cumulative count. */
  private static NavigableMap<Double, Double> buckets(double... boundsAndCounts) {
    NavigableMap<Double, Double> buckets = new TreeMap<>();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      buckets.put(boundsAndCounts[i], boundsAndCounts[i + 1]);
    }
    return buckets;
  }

  @Test
  void of_rankInsideBucket_interpolatesLinearly() {
    // 100 observations: 50 up to 0.1, 40 in (0.1, 0.5], 10 in (0.5, 1]
    var b = buckets(0.1, 50, 0.5, 90, 1.0, 100, INF, 100);
    assertThat(HistogramQuantile.of(0.5, b)).isCloseTo(0.1, within(1e-12));
    assertThat(HistogramQuantile.of(0.7, b)).isCloseTo(0.1 + 0.4 * 20 / 40, within(1e-12));
    assertThat(HistogramQuantile.of(0.99, b)).isCloseTo(0.5 + 0.5 * 9 / 10, within(1e-12));
  }

  @Test
  void of_rankInFirstBucket_startsAtZero() {
    assertThat(HistogramQuantile.of(0.99, buckets(0.001, 10, 0.002, 10, INF, 10)))
        .isCloseTo(0.00099, within(1e-15));
  }

  @Test
  void of_firstBoundNotPositive_isThatBound() {
    assertThat(HistogramQuantile.of(0.5, buckets(-1, 10, 1, 20, INF, 20))).isEqualTo(-1);
  }

  @Test
  void of_rankInInfBucket_highestFiniteBound() {
    assertThat(HistogramQuantile.of(0.99, buckets(0.1, 10, 30.0, 90, INF, 100))).isEqualTo(30.0);
  }

  @Test
  void of_noObservations_nan() {
    assertThat(HistogramQuantile.of(0.99, buckets(0.1, 0, INF, 0))).isNaN();
  }

  @Test
  void of_noInfBucket_orTooFewBuckets_nan() {
    assertThat(HistogramQuantile.of(0.99, buckets(0.1, 5, 1, 10))).isNaN();
    assertThat(HistogramQuantile.of(0.99, buckets(INF, 10))).isNaN();
    assertThat(HistogramQuantile.of(0.99, buckets())).isNaN();
  }

  @Test
  void of_quantileOutOfRange_infinities() {
    var b = buckets(0.1, 5, INF, 10);
    assertThat(HistogramQuantile.of(-0.1, b)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(HistogramQuantile.of(1.1, b)).isEqualTo(INF);
    assertThat(HistogramQuantile.of(Double.NaN, b)).isNaN();
  }

  @Test
  void of_countsDecrease_raisedToMonotonic() {
    // 0.5 reports fewer than 0.1: treated as 60, so the 99th rank (99) falls in (1, +Inf]
    // after (0.5, 1] holds 30 of them
    var b = buckets(0.1, 60, 0.5, 55, 1.0, 90, INF, 100);
    assertThat(HistogramQuantile.of(0.5, b)).isCloseTo(0.1 * 50 / 60, within(1e-12));
    assertThat(HistogramQuantile.of(0.75, b)).isCloseTo(0.5 + 0.5 * 15 / 30, within(1e-12));
  }

  @Test
  void of_quantileOne_topOfHighestUsedBucket() {
    assertThat(HistogramQuantile.of(1.0, buckets(0.1, 5, 0.2, 10, INF, 10))).isEqualTo(0.2);
  }
}
