package ringkv.server.routing;

import ringkv.router.ShardId;

/** Where a key lives: its partition, the shard owning it, and the map epoch that says so. */
public record Route(int partition, ShardId shard, long epoch) {}
