package ringkv.router;

/**
 * The result of adding or removing a node: the new placement and what it cost. An immutable value.
 *
 * @param placement the new placement
 * @param replicaMoves replicas created on a node that did not hold them before (each one means a
 *     copy of the shard's data over the network); {@code >= 0}
 * @param leaderChanges shards whose preferred leader changed (a leadership transfer, no data copy);
 *     {@code >= 0}
 */
public record PlacementChange(ReplicaPlacement placement, int replicaMoves, int leaderChanges) {

  /** Validates that the counts are not negative. */
  public PlacementChange {
    if (replicaMoves < 0) {
      throw new IllegalArgumentException("replicaMoves must be >= 0, got " + replicaMoves);
    }
    if (leaderChanges < 0) {
      throw new IllegalArgumentException("leaderChanges must be >= 0, got " + leaderChanges);
    }
  }

  /** A result with the given fields. */
  public static PlacementChange of(
      ReplicaPlacement placement, int replicaMoves, int leaderChanges) {
    return new PlacementChange(placement, replicaMoves, leaderChanges);
  }
}
