package ringkv.cli;

import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.RemoveShardResponse;

/**
 * Adding and removing a shard, and waiting for it: shared by {@code shard add}, {@code shard
 * remove} and {@code shard scale}, which does several of them in a row.
 */
final class Reshards {
  private Reshards() {}

  /** {@code Admin/AddShard}; the node answers once the plan is in the map. */
  static AddShardResponse add(KvctlMain root, AddShardRequest request) {
    return ClusterCommand.firstAnswerToPlan(
        root,
        (admin, endpoint, timeout) -> admin.addShard(endpoint, request, timeout));
  }

  /** {@code Admin/RemoveShard}; the node answers once the plan is in the map. */
  static RemoveShardResponse remove(KvctlMain root, int shard) {
    RemoveShardRequest request = RemoveShardRequest.newBuilder().setShardId(shard).build();
    return ClusterCommand.firstAnswerToPlan(
        root,
        (admin, endpoint, timeout) -> admin.removeShard(endpoint, request, timeout));
  }

  /** Waits until the {@code planned} partition moves to new shard {@code shard} are done. */
  static ClusterMap awaitAdded(MapWait wait, int shard, int planned, ClusterMap started) {
    return wait.until(started, m -> m.getPartitionMovesCount() == 0, progress(shard, planned));
  }

  /** Waits until shard {@code shard}'s {@code planned} partitions moved and the map forgot it. */
  static ClusterMap awaitRemoved(MapWait wait, int shard, int planned, ClusterMap started) {
    return wait.until(started, m -> isGone(m, shard), progress(shard, planned));
  }

  /** No partition moves in flight, and the map has forgotten the shard. */
  static boolean isGone(ClusterMap map, int shard) {
    return map.getPartitionMovesCount() == 0
        && map.getShardsList().stream().noneMatch(s -> s.getId() == shard);
  }

  /**
   * A reshard still runs: partitions moving, or a removed shard the map has not forgotten yet (its
   * nodes still drop their replicas).
   */
  static boolean inFlight(ClusterMap map) {
    return map.getPartitionMovesCount() > 0
        || map.getShardsList().stream().anyMatch(s -> s.getRemoving());
  }

  private static WaitProgress progress(int shard, int planned) {
    return WaitProgress.moves(
        "shard " + shard, "partitions", planned, ClusterMap::getPartitionMovesCount);
  }
}
