package ringkv.server.routing;

import com.google.protobuf.ByteString;
import ringkv.api.v1.ErrorReason;
import ringkv.router.Partitioner;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;

/** Resolves keys to shards with this node's copy of the cluster map. Thread-safe. */
public final class ShardResolver {
  private final ClusterMapView view;
  private volatile Partitioner partitioner;

  public ShardResolver(ClusterMapView view) {
    this.view = view;
  }

  /**
   * The key's route.
   *
   * @param requestEpoch the map epoch the caller routed with, 0 if unknown
   * @throws RequestFailedException UNAVAILABLE while shards are not placed, ABORTED when the key's
   *     partition moved after {@code requestEpoch}
   */
  public Route resolve(ByteString key, long requestEpoch) {
    ClusterMapView.Snapshot map = view.current();
    if (map == null || !map.isPlaced()) {
      String why = map == null ? "this node has no cluster map yet"
          : "shards are not placed yet: the cluster has " + map.map().getNodesCount() + " of the "
              + map.map().getReplication() + " nodes its replication needs";
      throw new RequestFailedException(ErrorReason.NODE_NOT_READY, why, false);
    }
    int partition = partitioner(map.map().getPartitionCount()).partitionOf(key);
    ShardId shard = map.table().shardOf(partition);
    long movedAt = map.map().getPartitionEpochs(partition);
    if (requestEpoch != 0 && requestEpoch < movedAt) {
      throw new RequestFailedException(ErrorReason.STALE_EPOCH, "partition " + partition + " moved at epoch " + movedAt
          + " but the request was routed with epoch " + requestEpoch + "; refresh the cluster map", false);
    }
    return new Route(partition, shard, map.epoch());
  }

  /** The epoch of this node's map, 0 before it has one. */
  public long epoch() {
    ClusterMapView.Snapshot map = view.current();
    return map == null ? 0 : map.epoch();
  }

  private Partitioner partitioner(int partitionCount) {
    Partitioner p = partitioner;
    if (p == null || p.partitionCount() != partitionCount) {
      p = new Partitioner(partitionCount);
      partitioner = p;
    }
    return p;
  }
}
