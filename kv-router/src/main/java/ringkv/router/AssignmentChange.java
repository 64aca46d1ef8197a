package ringkv.router;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one change of a {@link PartitionTable} cost and how balanced it left the table.
 *
 * <p>A pure value; {@link #between} computes it from two tables, so the same numbers can be
 * measured for {@link BoundedLoadAssigner}'s incremental result and for a from-scratch
 * recomputation.
 *
 * @param kind whether a shard was added or removed
 * @param shard the shard added or removed
 * @param shardsBefore {@code S} before the change
 * @param shardsAfter {@code S} after the change
 * @param minLoad the smallest number of partitions on one shard after the change
 * @param maxLoad the largest number of partitions on one shard after the change
 * @param averageLoad {@code P / shardsAfter}
 * @param floor the floor of the configuration for {@code shardsAfter} shards
 * @param cap the cap of the configuration for {@code shardsAfter} shards
 * @param moved the number of partitions whose owner changed
 * @param idealMoves the least any assignment could move: {@code P / shardsAfter} for an add (the
 *     new shard's fair share), the removed shard's load for a remove
 * @param movesBetweenUnchangedShards partitions that moved from one shard present both before and
 *     after to another such shard: pure waste, always 0 for {@link BoundedLoadAssigner}'s
 *     incremental changes
 */
public record AssignmentChange(
    Kind kind,
    ShardId shard,
    int shardsBefore,
    int shardsAfter,
    int minLoad,
    int maxLoad,
    double averageLoad,
    int floor,
    int cap,
    int moved,
    double idealMoves,
    int movesBetweenUnchangedShards) {

  /** The kind of change. */
  public enum Kind {
    /** A shard joined and took partitions. */
    ADDED,
    /** A shard left and gave its partitions away. */
    REMOVED
  }

  /** Validates that counts are not negative. */
  public AssignmentChange {
    requireNonNegative("shardsBefore", shardsBefore);
    requireNonNegative("shardsAfter", shardsAfter);
    requireNonNegative("minLoad", minLoad);
    requireNonNegative("maxLoad", maxLoad);
    requireNonNegative("floor", floor);
    requireNonNegative("cap", cap);
    requireNonNegative("moved", moved);
    requireNonNegative("movesBetweenUnchangedShards", movesBetweenUnchangedShards);
    if (!(idealMoves >= 0)) {
      throw new IllegalArgumentException("idealMoves must be >= 0, got " + idealMoves);
    }
  }

  /**
   * Measures the change from {@code before} to {@code after}.
   *
   * @param floor the floor to report (the configuration's floor for {@code after}'s shard count)
   * @param cap the cap to report (the configuration's cap for {@code after}'s shard count)
   * @throws IllegalArgumentException if the tables have different partition counts
   */
  public static AssignmentChange between(
      Kind kind, ShardId shard, PartitionTable before, PartitionTable after, int floor, int cap) {
    int partitions = before.partitionCount();
    if (after.partitionCount() != partitions) {
      throw new IllegalArgumentException(
          "tables must have the same partition count, got "
              + partitions
              + " and "
              + after.partitionCount());
    }
    SortedSet<ShardId> unchanged = new TreeSet<>(before.shards());
    Set<ShardId> afterShards = after.shards();
    unchanged.retainAll(afterShards);
    int moved = 0;
    int wasted = 0;
    for (int p = 0; p < partitions; p++) {
      ShardId from = before.owners().get(p);
      ShardId to = after.owners().get(p);
      if (!from.equals(to)) {
        moved++;
        if (unchanged.contains(from) && unchanged.contains(to)) {
          wasted++;
        }
      }
    }
    var loads = after.loads().values();
    int min = loads.stream().mapToInt(Integer::intValue).min().orElse(0);
    int max = loads.stream().mapToInt(Integer::intValue).max().orElse(0);
    double ideal =
        kind == Kind.ADDED ? (double) partitions / afterShards.size() : before.loadOf(shard);
    return new AssignmentChange(
        kind,
        shard,
        before.shardCount(),
        afterShards.size(),
        min,
        max,
        (double) partitions / afterShards.size(),
        floor,
        cap,
        moved,
        ideal,
        wasted);
  }

  /** {@code moved / idealMoves}; 1.0 is the best possible, 0 when nothing had to move. */
  public double movedOverIdeal() {
    return idealMoves == 0 ? 0.0 : moved / idealMoves;
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }
}
