package ringkv.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Assigns partitions to shards by consistent hashing with bounded loads (Mirrokni, Thorup,
 * Zadimoghaddam, "Consistent Hashing with Bounded Loads", SODA 2018), and changes an assignment
 * incrementally when a shard is added or removed.
 *
 * <p><b>Bounds.</b> Among {@code S} shards every shard holds at most {@link Config#cap cap(S)} =
 * {@code ceil((1 + eps) * P / S)} partitions and at least {@link Config#floor floor(S)} = {@code
 * max(1, floor((1 - eps) * P / S))}. Both hold for every table this assigner returns, as long as
 * the chain of tables started from {@link #initial} or {@link PartitionTable#singleShard} with the
 * same {@link Config}.
 *
 * <p><b>Initial table.</b> {@link #initial} takes partitions in order {@code 0..P-1}; each goes to
 * the first shard clockwise from the partition's ring position whose load is below the cap (the
 * bounded-loads rule), subject to the two look-ahead rules below.
 *
 * <p><b>Changes.</b> {@link #addShard} moves partitions only to the new shard, and {@link
 * #removeShard} only off the removed shard; a partition never moves between two shards present both
 * before and after. That is the point of computing changes incrementally: {@link #initial} on the
 * new shard set would also shuffle partitions among unchanged shards.
 *
 * <p><b>Implementation notes.</b> Moving partitions only to an added shard (or only off a removed
 * one) cannot restore the bounds from every table: if many shards sit at {@code cap(S)} when an add
 * lowers the cap to {@code cap(S + 1)}, the new shard cannot take all their excess; if many sit at
 * {@code floor(S)} when a remove raises the floor, the removed shard may not have enough partitions
 * to lift them. With {@code P / S} in the single digits this happens in practice. So every table
 * also keeps two look-ahead rules, for every {@code k}:
 *
 * <ul>
 *   <li><i>headroom</i>: the partitions above {@code cap(S + k)} are at most {@code k * cap(S +
 *       k)}, so {@code k} adds can absorb them;
 *   <li><i>footroom</i>: the partitions missing below {@code floor(S - k)} are at most {@code k *
 *       floor(S - k)}, so any {@code k} removes can fill them.
 * </ul>
 *
 * The initial placement and a remove's placement keep footroom by sending a partition to a shard
 * below the binding floor once the partitions left are only just enough; the initial placement
 * keeps headroom by skipping shards whose increment would break it (a remove keeps it
 * automatically). An add keeps both by taking from the most loaded shards, enough to restore
 * headroom; that can move a little more than {@code floor(P / S)} when {@code P / S} is small.
 *
 * <p>Every method is a pure function of its arguments and the {@link Config}: no I/O, clock or
 * randomness, so every replica of the meta group computes the same table. Instances are immutable
 * and thread-safe.
 */
public final class BoundedLoadAssigner {
  /** The epoch of a table made by {@link #initial(Set)}; 0 is kept for "no table yet". */
  public static final long INITIAL_EPOCH = 1;

  private final Config config;

  /** An assigner for {@code config}. */
  public BoundedLoadAssigner(Config config) {
    this.config = config;
  }

  /** An assigner for {@link Config#defaults()}. */
  public static BoundedLoadAssigner withDefaults() {
    return new BoundedLoadAssigner(Config.defaults());
  }

  /** The configuration of this assigner. */
  public Config config() {
    return config;
  }

  /**
   * The table of a new cluster with {@code shards}, at {@link #INITIAL_EPOCH}: a pure function of
   * the shard ids, {@code P}, {@code V} and {@code eps} (not of the order of {@code shards}). Every
   * shard ends between {@code floor(S)} and {@code cap(S)}.
   *
   * @throws IllegalArgumentException if {@code shards} is empty or larger than {@code P}
   */
  public PartitionTable initial(Set<ShardId> shards) {
    return initial(shards, INITIAL_EPOCH);
  }

  /** As {@link #initial(Set)}, stamped with {@code epoch}. */
  public PartitionTable initial(Set<ShardId> shards, long epoch) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("shards must not be empty");
    }
    requireNoMoreShardsThanPartitions(shards.size());
    List<ShardId> sorted = List.copyOf(new TreeSet<>(shards));
    int[] owner = new int[config.partitionCount()];
    int[] load = new int[sorted.size()];
    int[] order = new int[owner.length];
    for (int p = 0; p < order.length; p++) {
      order[p] = p;
    }
    place(order, sorted, owner, load, true);
    return toTable(epoch, sorted, owner);
  }

  /**
   * Adds {@code newShard} to {@code previous}; only partitions that move to {@code newShard} change
   * owner. With {@code S} the shard count after the add, the new shard takes {@code N = max(floor(P
   * / S), E, H)} partitions, where {@code E} is what the old shards hold above {@code cap(S)} and
   * {@code H} is the fewest that keeps the next adds able to meet their caps (the headroom rule in
   * the class notes); {@code N <= cap(S)}. One at a time, each comes from the most loaded old shard
   * (lowest id on a tie), which lowers the loads from the top: a donor first gives the partitions
   * whose ring position now falls to a point of the new shard, then those nearest (clockwise) to
   * one of its points, then the lowest-numbered. Every shard ends at or below {@code cap(S)}; the
   * new shard and every donor end at or above {@code floor(S)}.
   *
   * @return the new table at {@code previous.epoch() + 1} and the measured change
   * @throws IllegalArgumentException if {@code newShard} is already in {@code previous}, if {@code
   *     previous} has another partition count, if the add would give more shards than partitions,
   *     or if {@code E > cap(S)} (the new shard could not take the excess without passing the cap
   *     itself; a table this assigner made never has that)
   */
  public Reassignment addShard(PartitionTable previous, ShardId newShard) {
    requireSamePartitionCount(previous);
    if (previous.hasShard(newShard)) {
      throw new IllegalArgumentException(
          "cannot add " + newShard + ": it is already in the table at epoch " + previous.epoch());
    }
    SortedSet<ShardId> all = new TreeSet<>(previous.shards());
    all.add(newShard);
    int shardCount = all.size();
    requireNoMoreShardsThanPartitions(shardCount);
    List<ShardId> sorted = List.copyOf(all);
    int fresh = sorted.indexOf(newShard);
    int[] owner = ownerIndexes(previous, sorted);
    int[] load = loadsOf(owner, shardCount);
    int cap = config.cap(shardCount);
    int floor = config.floor(shardCount);
    int excess = 0;
    for (int s = 0; s < shardCount; s++) {
      excess += Math.max(0, load[s] - cap);
    }
    if (excess > cap) {
      throw new IllegalArgumentException(
          String.format(
              "cannot add %s: old shards hold %d partitions above the new cap %d, more than the"
                  + " new shard may take; recompute the table with initial()",
              newShard, excess, cap));
    }
    int share = config.partitionCount() / shardCount;
    int take =
        Math.max(share, Math.max(excess, Headroom.of(config, shardCount, load).requiredTransfer()));
    int[][] queues =
        HashRing.of(sorted, config.virtualPointsPerShard()).givingOrder(fresh, owner, load);
    int[] cursor = new int[shardCount];
    for (int i = 0; i < take; i++) {
      int donor = mostLoaded(load, fresh);
      move(queues[donor][cursor[donor]++], fresh, owner, load);
    }
    PartitionTable table = toTable(Math.addExact(previous.epoch(), 1), sorted, owner);
    return Reassignment.of(
        table,
        AssignmentChange.between(
            AssignmentChange.Kind.ADDED, newShard, previous, table, floor, cap));
  }

  /**
   * Removes {@code shard} from {@code previous}; only the removed shard's partitions move, so the
   * change moves exactly as many partitions as that shard held. They are taken in ascending order,
   * and each goes to the first surviving shard clockwise from its ring position whose load is below
   * {@code cap(S)} ({@code S} the shard count after the remove); but once the partitions left are
   * only just enough to keep the footroom rule (see the class notes), it goes to the first shard
   * clockwise below the binding floor instead. Every survivor ends between {@code floor(S)} and
   * {@code cap(S)}.
   *
   * @return the new table at {@code previous.epoch() + 1} and the measured change
   * @throws IllegalArgumentException if {@code shard} is not in {@code previous}, if it is the last
   *     shard, if {@code previous} has another partition count, or if a survivor already holds more
   *     than {@code cap(S)}
   */
  public Reassignment removeShard(PartitionTable previous, ShardId shard) {
    requireSamePartitionCount(previous);
    if (!previous.hasShard(shard)) {
      throw new IllegalArgumentException(
          String.format(
              "cannot remove %s: it is not in the table at epoch %d, whose shards are %s",
              shard, previous.epoch(), previous.shards()));
    }
    SortedSet<ShardId> survivors = new TreeSet<>(previous.shards());
    survivors.remove(shard);
    if (survivors.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot remove " + shard + ": it is the last shard, its partitions would have no owner");
    }
    List<ShardId> sorted = List.copyOf(survivors);
    int shardCount = sorted.size();
    int cap = config.cap(shardCount);
    int floor = config.floor(shardCount);
    int[] load = new int[shardCount];
    List<Integer> moving = new ArrayList<>();
    int[] owner = new int[config.partitionCount()];
    for (int p = 0; p < owner.length; p++) {
      ShardId current = previous.owners().get(p);
      if (current.equals(shard)) {
        moving.add(p);
        owner[p] = -1;
      } else {
        owner[p] = sorted.indexOf(current);
        load[owner[p]]++;
      }
    }
    for (int s = 0; s < shardCount; s++) {
      if (load[s] > cap) {
        throw new IllegalArgumentException(
            String.format(
                "cannot remove %s: survivor %s already holds %d partitions, above the cap %d",
                shard, sorted.get(s), load[s], cap));
      }
    }
    place(moving.stream().mapToInt(Integer::intValue).toArray(), sorted, owner, load, false);
    PartitionTable table = toTable(Math.addExact(previous.epoch(), 1), sorted, owner);
    return Reassignment.of(
        table,
        AssignmentChange.between(
            AssignmentChange.Kind.REMOVED, shard, previous, table, floor, cap));
  }

  /**
   * Places {@code partitions}, in the given order, on {@code sorted}'s shards: each goes to the
   * first shard clockwise from its ring position that is below the cap, below the threshold of any
   * binding {@link Footroom} bound, and, when {@code keepHeadroom}, allowed by {@link Headroom}.
   */
  private void place(
      int[] partitions, List<ShardId> sorted, int[] owner, int[] load, boolean keepHeadroom) {
    int shardCount = sorted.size();
    int cap = config.cap(shardCount);
    HashRing ring = HashRing.of(sorted, config.virtualPointsPerShard());
    Headroom headroom = Headroom.of(config, shardCount, load);
    Footroom footroom = Footroom.of(config, shardCount, load);
    for (int i = 0; i < partitions.length; i++) {
      int p = partitions[i];
      int limit = Math.min(cap, footroom.limit(partitions.length - i));
      int shard =
          ring.firstClockwise(
              HashRing.partitionPosition(p),
              s -> load[s] < limit && (!keepHeadroom || headroom.allowsIncrement(load[s])));
      headroom.increment(load[shard]);
      footroom.increment(load[shard]);
      load[shard]++;
      owner[p] = shard;
    }
  }

  private static void move(int partition, int to, int[] owner, int[] load) {
    load[owner[partition]]--;
    load[to]++;
    owner[partition] = to;
  }

  private static int mostLoaded(int[] load, int except) {
    int best = -1;
    for (int s = 0; s < load.length; s++) {
      if (s != except && (best < 0 || load[s] > load[best])) {
        best = s;
      }
    }
    return best;
  }

  private static int[] ownerIndexes(PartitionTable table, List<ShardId> sorted) {
    int[] owner = new int[table.partitionCount()];
    for (int p = 0; p < owner.length; p++) {
      owner[p] = sorted.indexOf(table.owners().get(p));
    }
    return owner;
  }

  private static int[] loadsOf(int[] owner, int shardCount) {
    int[] load = new int[shardCount];
    for (int s : owner) {
      load[s]++;
    }
    return load;
  }

  private static PartitionTable toTable(long epoch, List<ShardId> sorted, int[] owner) {
    List<ShardId> owners = new ArrayList<>(owner.length);
    for (int s : owner) {
      owners.add(sorted.get(s));
    }
    return PartitionTable.of(epoch, owners);
  }

  private void requireSamePartitionCount(PartitionTable table) {
    if (table.partitionCount() != config.partitionCount()) {
      throw new IllegalArgumentException(
          String.format(
              "table has %d partitions but this assigner is configured for %d",
              table.partitionCount(), config.partitionCount()));
    }
  }

  private void requireNoMoreShardsThanPartitions(int shardCount) {
    if (shardCount > config.partitionCount()) {
      throw new IllegalArgumentException(
          String.format(
              "shard count %d exceeds the partition count %d; every shard must own a partition",
              shardCount, config.partitionCount()));
    }
  }

  /**
   * The settings of a {@link BoundedLoadAssigner}.
   *
   * @param partitionCount {@code P}, the number of partitions, {@code >= 1}
   * @param virtualPointsPerShard {@code V}, ring points per shard, in {@code [1, 4096]}
   * @param eps the load slack: caps are {@code (1 + eps)} and floors {@code (1 - eps)} times the
   *     average, in {@code (0, 1]}
   */
  public record Config(int partitionCount, int virtualPointsPerShard, double eps) {
    /**
     * The default {@code V}. The share of the ring a shard's points cover varies by about {@code
     * 1/sqrt(V)} (about 9% at 128), well inside the default 25% slack, so few partitions overflow
     * their first choice; and 64 shards make only 8,192 points, cheap to hash and sort.
     */
    public static final int DEFAULT_VIRTUAL_POINTS = 128;

    /** The default {@code eps}: caps at 125% and floors at 75% of the average load. */
    public static final double DEFAULT_EPS = 0.25;

    /** Validates every field and names the one that is out of range. */
    public Config {
      if (partitionCount < 1) {
        throw new IllegalArgumentException("partitionCount must be >= 1, got " + partitionCount);
      }
      if (virtualPointsPerShard < 1 || virtualPointsPerShard > 4096) {
        throw new IllegalArgumentException(
            "virtualPointsPerShard must be in [1, 4096], got " + virtualPointsPerShard);
      }
      if (!(eps > 0 && eps <= 1)) {
        throw new IllegalArgumentException("eps must be in (0, 1], got " + eps);
      }
    }

    /** {@code P} = {@value Partitioner#DEFAULT_PARTITION_COUNT}, default {@code V} and eps. */
    public static Config defaults() {
      return of(Partitioner.DEFAULT_PARTITION_COUNT);
    }

    /** {@code partitionCount} partitions with the default {@code V} and {@code eps}. */
    public static Config of(int partitionCount) {
      return new Config(partitionCount, DEFAULT_VIRTUAL_POINTS, DEFAULT_EPS);
    }

    /** A copy with another {@code V}. */
    public Config withVirtualPointsPerShard(int value) {
      return new Config(partitionCount, value, eps);
    }

    /** A copy with another {@code eps}. */
    public Config withEps(double value) {
      return new Config(partitionCount, virtualPointsPerShard, value);
    }

    /**
     * The most partitions a shard may hold among {@code shardCount} shards: {@code ceil((1 + eps) *
     * P / S)}.
     */
    public int cap(int shardCount) {
      requirePositive(shardCount);
      return (int) Math.ceil((1.0 + eps) * partitionCount / shardCount);
    }

    /**
     * The fewest partitions a shard aims to hold among {@code shardCount} shards: {@code max(1,
     * floor((1 - eps) * P / S))}, the mirror image of the cap.
     */
    public int floor(int shardCount) {
      requirePositive(shardCount);
      return Math.max(1, (int) Math.floor((1.0 - eps) * partitionCount / shardCount));
    }

    private static void requirePositive(int shardCount) {
      if (shardCount < 1) {
        throw new IllegalArgumentException("shardCount must be >= 1, got " + shardCount);
      }
    }
  }
}
