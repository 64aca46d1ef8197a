package ringkv.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Bookkeeping for the rule that keeps every later add able to meet its cap without moving
 * partitions between old shards.
 *
 * <p>Adding shards one at a time lowers the cap from {@code cap(S)} to {@code cap(S + k)}, and only
 * the {@code k} new shards may take the partitions above it, at most {@code cap(S + k)} each. So a
 * table of {@code S} shards is <em>ready</em> when, for every {@code k >= 1} with {@code S + k <=
 * P}:
 *
 * <pre>  sum over shards of max(0, load - cap(S + k))  <=  k * cap(S + k)</pre>
 *
 * <p>A remove keeps a ready table ready (the removed shard's load is at most {@code cap(S + 1)} and
 * takes its own excess with it); {@link BoundedLoadAssigner#initial} keeps the rule while it places
 * partitions, and {@link BoundedLoadAssigner#addShard} moves at least {@link #requiredTransfer}
 * partitions to the new shard, from the most loaded shards, which keeps it too. Only the {@code k}
 * whose budget is below {@code P} can ever bind, so only those are tracked. Mutable; confined to
 * one call of the assigner.
 */
final class Headroom {
  private final int[] threshold;
  private final int[] budget;
  private final int[] excess;

  private Headroom(int[] threshold, int[] budget, int[] excess) {
    this.threshold = threshold;
    this.budget = budget;
    this.excess = excess;
  }

  /** The rule for a table of {@code shardCount} shards whose shards hold {@code loads}. */
  static Headroom of(BoundedLoadAssigner.Config config, int shardCount, int[] loads) {
    int partitions = config.partitionCount();
    List<int[]> bounds = new ArrayList<>();
    for (int k = 1; shardCount + k <= partitions; k++) {
      int cap = config.cap(shardCount + k);
      long budget = (long) k * cap;
      if (budget < partitions) {
        bounds.add(new int[] {cap, (int) budget});
      }
    }
    int n = bounds.size();
    int[] threshold = new int[n];
    int[] budget = new int[n];
    int[] excess = new int[n];
    for (int j = 0; j < n; j++) {
      threshold[j] = bounds.get(j)[0];
      budget[j] = bounds.get(j)[1];
      for (int load : loads) {
        excess[j] += Math.max(0, load - threshold[j]);
      }
    }
    return new Headroom(threshold, budget, excess);
  }

  /** Whether one more partition on a shard that holds {@code load} keeps the table ready. */
  boolean allowsIncrement(int load) {
    for (int j = 0; j < threshold.length; j++) {
      if (load >= threshold[j] && excess[j] >= budget[j]) {
        return false;
      }
    }
    return true;
  }

  /** Records one more partition on a shard that held {@code load}. */
  void increment(int load) {
    for (int j = 0; j < threshold.length; j++) {
      if (load >= threshold[j]) {
        excess[j]++;
      }
    }
  }

  /**
   * The fewest partitions the new shard must take, from the most loaded old shards, so that the
   * table after an add is ready: the largest, over the tracked {@code k}, of {@code min(cap(S + k),
   * excess(k) - k * cap(S + k))}, where this headroom was built for the shard count after the add
   * and the loads before it (the new shard at 0). Taking {@code N} partitions from the top lowers
   * every {@code excess(k)} by {@code min(N, excess(k))} at once, which is why the donors must be
   * the most loaded shards.
   */
  int requiredTransfer() {
    int required = 0;
    for (int j = 0; j < threshold.length; j++) {
      required = Math.max(required, Math.min(threshold[j], excess[j] - budget[j]));
    }
    return required;
  }

  /** Whether every tracked bound holds. */
  boolean isReady() {
    for (int j = 0; j < threshold.length; j++) {
      if (excess[j] > budget[j]) {
        return false;
      }
    }
    return true;
  }
}
