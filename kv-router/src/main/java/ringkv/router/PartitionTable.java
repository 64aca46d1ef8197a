package ringkv.router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partition to shard assignment of one cluster-map epoch: {@code owners().get(p)} is the shard
 * that holds partition {@code p}, for every {@code p} in {@code [0, partitionCount())}.
 *
 * <p>The shards of a table are exactly the shards that own at least one partition; {@link
 * BoundedLoadAssigner} never leaves a shard empty. Immutable and thread-safe; two tables are equal
 * when their epochs and owner lists are equal.
 *
 * @param epoch the cluster-map epoch this table belongs to, {@code >= 0}
 * @param owners the owner of each partition, indexed by partition; not empty; copied in
 */
public record PartitionTable(long epoch, List<ShardId> owners) {

  /** Validates both fields and copies {@code owners} into an unmodifiable list. */
  public PartitionTable {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (owners.isEmpty()) {
      throw new IllegalArgumentException("owners must hold at least one partition, got none");
    }
    owners = List.copyOf(owners);
  }

  /** A table with the given epoch and owners (see the record components). */
  public static PartitionTable of(long epoch, List<ShardId> owners) {
    return new PartitionTable(epoch, owners);
  }

  /**
   * A table in which {@code shard} owns all {@code partitionCount} partitions: the map of a new
   * cluster before a second shard exists.
   *
   * @throws IllegalArgumentException if {@code partitionCount < 1} or {@code epoch < 0}
   */
  public static PartitionTable singleShard(int partitionCount, ShardId shard, long epoch) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partitionCount must be >= 1, got " + partitionCount);
    }
    return new PartitionTable(epoch, Collections.nCopies(partitionCount, shard));
  }

  /** The same assignment stamped with another epoch. */
  public PartitionTable withEpoch(long newEpoch) {
    return new PartitionTable(newEpoch, owners);
  }

  /** The number of partitions, {@code P}. */
  public int partitionCount() {
    return owners.size();
  }

  /**
   * The shard that owns {@code partition}.
   *
   * @throws IllegalArgumentException if {@code partition} is outside {@code [0, P)}
   */
  public ShardId shardOf(int partition) {
    if (partition < 0 || partition >= owners.size()) {
      throw new IllegalArgumentException(
          "partition must be in [0, " + owners.size() + "), got " + partition);
    }
    return owners.get(partition);
  }

  /** The partitions {@code shard} owns, ascending; empty if it owns none. */
  public List<Integer> partitionsOf(ShardId shard) {
    List<Integer> result = new ArrayList<>();
    for (int p = 0; p < owners.size(); p++) {
      if (owners.get(p).equals(shard)) {
        result.add(p);
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The number of partitions {@code shard} owns; 0 if it owns none. */
  public int loadOf(ShardId shard) {
    int load = 0;
    for (ShardId owner : owners) {
      if (owner.equals(shard)) {
        load++;
      }
    }
    return load;
  }

  /**
   * The number of partitions of each shard of this table, in ascending shard order (the returned
   * map is a {@link SortedMap}, unmodifiable).
   */
  public Map<ShardId, Integer> loads() {
    SortedMap<ShardId, Integer> loads = new TreeMap<>();
    for (ShardId owner : owners) {
      loads.merge(owner, 1, Integer::sum);
    }
    return Collections.unmodifiableSortedMap(loads);
  }

  /** The shards that own at least one partition, ascending; unmodifiable. */
  public SortedSet<ShardId> shards() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(owners));
  }

  /** The number of shards, {@code S}. */
  public int shardCount() {
    return shards().size();
  }

  /** Whether {@code shard} owns at least one partition of this table. */
  public boolean hasShard(ShardId shard) {
    return owners.contains(shard);
  }

  /** A short summary (epoch, P and loads), not the whole owner list. */
  @Override
  public String toString() {
    return "PartitionTable[epoch="
        + epoch
        + ", partitions="
        + owners.size()
        + ", loads="
        + loads()
        + "]";
  }
}
