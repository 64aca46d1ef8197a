package ringkv.router;

/**
 * Bookkeeping for the rule that keeps every later remove able to lift the survivors to their floor
 * without moving partitions between them: the mirror image of {@link Headroom}.
 *
 * <p>Removing shards one at a time raises the floor from {@code floor(S)} to {@code floor(S - k)},
 * and only the {@code k} removed shards' partitions may fill the survivors' shortfall; whichever
 * shards are removed, they bring at least {@code k * floor(S - k)} partitions or their own
 * shortfall leaves with them. So a table of {@code S} shards is <em>ready</em> when, for every
 * {@code k} in {@code [0, S)}:
 *
 * <pre>  sum over shards of max(0, floor(S - k) - load)  <=  k * floor(S - k)</pre>
 *
 * <p>({@code k = 0} is the floor itself.) When partitions are being placed one at a time, a bound
 * <em>binds</em> once the partitions left are no more than its shortfall beyond the allowance; each
 * placement must then go to a shard below that bound's threshold, which lowers the shortfall of
 * every bound at once. {@link BoundedLoadAssigner#initial} and {@link
 * BoundedLoadAssigner#removeShard} place partitions that way. Mutable; confined to one call of the
 * assigner.
 */
final class Footroom {
  private final int[] threshold;
  private final int[] allowance;
  private final int[] shortfall;

  private Footroom(int[] threshold, int[] allowance, int[] shortfall) {
    this.threshold = threshold;
    this.allowance = allowance;
    this.shortfall = shortfall;
  }

  /** The rule for a table of {@code shardCount} shards whose shards hold {@code loads}. */
  static Footroom of(BoundedLoadAssigner.Config config, int shardCount, int[] loads) {
    int[] threshold = new int[shardCount];
    int[] allowance = new int[shardCount];
    int[] shortfall = new int[shardCount];
    for (int k = 0; k < shardCount; k++) {
      threshold[k] = config.floor(shardCount - k);
      allowance[k] = k * threshold[k];
      for (int load : loads) {
        shortfall[k] += Math.max(0, threshold[k] - load);
      }
    }
    return new Footroom(threshold, allowance, shortfall);
  }

  /**
   * The load a shard must be below to take the next partition when {@code remaining} partitions
   * (this one included) are left to place: the lowest threshold among the binding bounds, or {@link
   * Integer#MAX_VALUE} when none binds.
   */
  int limit(int remaining) {
    int limit = Integer.MAX_VALUE;
    for (int k = 0; k < threshold.length; k++) {
      if (shortfall[k] > 0 && shortfall[k] - allowance[k] >= remaining) {
        limit = Math.min(limit, threshold[k]);
      }
    }
    return limit;
  }

  /** Records one more partition on a shard that held {@code load}. */
  void increment(int load) {
    for (int k = 0; k < threshold.length; k++) {
      if (load < threshold[k]) {
        shortfall[k]--;
      }
    }
  }

  /** Whether every bound holds. */
  boolean isReady() {
    for (int k = 0; k < threshold.length; k++) {
      if (shortfall[k] > allowance[k]) {
        return false;
      }
    }
    return true;
  }
}
