package ringkv.server.routing;

import com.google.protobuf.ByteString;
import ringkv.router.Partitioner;
import ringkv.router.ShardId;

/**
 * Resolves keys to shards with this node's view of the cluster map. Thread-safe.
 *
 * <p>The walking skeleton has one shard owning every partition at epoch 1; the cluster map of
 * the meta group takes over this role when shards arrive.
 */
public final class ShardResolver {
  private final Partitioner partitioner;
  private final ShardId onlyShard;
  private final long epoch;

  public ShardResolver(Partitioner partitioner, ShardId onlyShard, long epoch) {
    this.partitioner = partitioner;
    this.onlyShard = onlyShard;
    this.epoch = epoch;
  }

  public Route resolve(ByteString key) {
    return new Route(partitioner.partitionOf(key), onlyShard, epoch);
  }

  public long epoch() {
    return epoch;
  }
}
