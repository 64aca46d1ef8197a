package ringkv.router;

/** The id of a shard (one Raft group holding some partitions). Ids are never reused. */
public record ShardId(int value) implements Comparable<ShardId> {
  /** Validates that {@code value >= 0}. */
  public ShardId {
    if (value < 0) {
      throw new IllegalArgumentException("shard id must be >= 0, got " + value);
    }
  }

  /** The shard id {@code value}. */
  public static ShardId of(int value) {
    return new ShardId(value);
  }

  /** Orders by numeric value. */
  @Override
  public int compareTo(ShardId other) {
    return Integer.compare(value, other.value);
  }

  /** {@code shard-<value>}, as in logs. */
  @Override
  public String toString() {
    return "shard-" + value;
  }
}
