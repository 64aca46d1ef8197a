package ringkv.bench;

import java.util.random.RandomGenerator;

/**
 * Draws integers in {@code [0, items)} with a Zipfian distribution: rank 0 is the most popular,
 * with probability proportional to {@code 1 / (rank + 1)^theta}. The algorithm is Gray et al.,
 * "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD 1994), as YCSB's
 * {@code ZipfianGenerator} uses it, with YCSB's constant {@code theta = 0.99}.
 *
 * <p>Thread-safe: the constants are computed once (O(items)) in the constructor, and the caller
 * passes its own random source to {@link #next}. Unlike YCSB's default "scrambled" variant, ranks
 * are not hashed; RingKV hashes keys to partitions anyway, so hot keys still spread over shards.
 */
final class ZipfianGenerator {
  /** YCSB's default Zipfian constant. */
  static final double YCSB_THETA = 0.99;

  private final long items;
  private final double theta;
  private final double zetaN;
  private final double alpha;
  private final double eta;
  private final double halfPowTheta;

  ZipfianGenerator(long items) {
    this(items, YCSB_THETA);
  }

  ZipfianGenerator(long items, double theta) {
    if (items < 1) {
      throw new IllegalArgumentException("items must be >= 1, got " + items);
    }
    if (!(theta > 0 && theta < 1)) {
      throw new IllegalArgumentException("theta must be in (0, 1), got " + theta);
    }
    this.items = items;
    this.theta = theta;
    this.zetaN = zeta(items, theta);
    double zeta2 = zeta(Math.min(2, items), theta);
    this.alpha = 1.0 / (1.0 - theta);
    this.eta = items < 2 ? 0 : (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
    this.halfPowTheta = 1 + Math.pow(0.5, theta);
  }

  /** The next rank in {@code [0, items)}. */
  long next(RandomGenerator random) {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1.0) {
      return 0;
    }
    if (uz < halfPowTheta) {
      return Math.min(1, items - 1);
    }
    long rank = (long) (items * Math.pow(eta * u - eta + 1, alpha));
    return Math.min(rank, items - 1);
  }

  long items() {
    return items;
  }

  double theta() {
    return theta;
  }

  /** The exact probability of {@code rank} under this distribution. */
  double probabilityOf(long rank) {
    return 1.0 / Math.pow(rank + 1, theta) / zetaN;
  }

  private static double zeta(long n, double theta) {
    double sum = 0;
    for (long i = 1; i <= n; i++) {
      sum += 1.0 / Math.pow(i, theta);
    }
    return sum;
  }
}
