package ringkv.router;

/**
 * The result of adding or removing a shard: the new table (its epoch is the previous epoch plus
 * one) and what the change cost. An immutable value.
 *
 * @param table the new partition table
 * @param change the measured cost and balance of the change
 */
public record Reassignment(PartitionTable table, AssignmentChange change) {

  /** A result holding {@code table} and {@code change}. */
  public static Reassignment of(PartitionTable table, AssignmentChange change) {
    return new Reassignment(table, change);
  }
}
