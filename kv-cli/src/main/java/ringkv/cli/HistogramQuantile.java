package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The φ-quantile of a Prometheus histogram, computed as PromQL's {@code histogram_quantile} does
 * (Prometheus {@code promql/quantile.go}, {@code bucketQuantile}): find the bucket the rank falls
 * in and interpolate linearly within it, assuming the observations are spread evenly.
 *
 * <ul>
 *   <li>The lowest bucket starts at 0 when its upper bound is positive (otherwise its upper bound
 *       is the answer).
 *   <li>A rank in the {@code +Inf} bucket gives the upper bound of the highest finite bucket.
 *   <li>No observations, no {@code +Inf} bucket, or fewer than two buckets give NaN.
 *   <li>Cumulative counts that decrease (buckets summed from series scraped at slightly different
 *       moments) are raised to the largest count below them first.
 * </ul>
 */
final class HistogramQuantile {
  private HistogramQuantile() {}

  /**
   * @param q the quantile, 0 to 1 (below 0 gives -Inf, above 1 +Inf, as in PromQL)
   * @param buckets upper bound ({@code le}) to the cumulative count of observations up to it
   */
  static double of(double q, NavigableMap<Double, Double> buckets) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (buckets.size() < 2 || buckets.lastKey() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    List<Double> bounds = new ArrayList<>(buckets.size());
    List<Double> counts = new ArrayList<>(buckets.size());
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      max = Math.max(max, bucket.getValue());
      bounds.add(bucket.getKey());
      counts.add(max);
    }
    int last = counts.size() - 1;
    double observations = counts.get(last);
    if (!(observations > 0)) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < last && counts.get(b) < rank) {
      b++;
    }
    if (b == last) {
      return bounds.get(last - 1);
    }
    if (b == 0 && bounds.get(0) <= 0) {
      return bounds.get(0);
    }
    double start = 0;
    double end = bounds.get(b);
    double count = counts.get(b);
    if (b > 0) {
      start = bounds.get(b - 1);
      count -= counts.get(b - 1);
      rank -= counts.get(b - 1);
    }
    return start + (end - start) * (rank / count);
  }
}
