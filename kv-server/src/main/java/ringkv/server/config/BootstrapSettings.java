package ringkv.server.config;

/**
 * The shape of a new cluster, given to the first node ({@code --bootstrap}).
 *
 * @param shards number of shards (Raft groups holding data), at least 1
 * @param replication replicas per shard: odd (1, 3, 5, ...); shards are placed once this many nodes joined
 * @param partitions number of partitions (P), fixed for the cluster's life
 */
public record BootstrapSettings(int shards, int replication, int partitions) {
  public BootstrapSettings {
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
    }
    if (replication < 1 || replication % 2 == 0) {
      throw new IllegalArgumentException(
          "--replication must be odd (1, 3, 5, ...): an even count adds no fault tolerance; got " + replication);
    }
    if (partitions < shards || partitions > 65536) {
      throw new IllegalArgumentException("--partitions must be between --shards (" + shards + ") and 65536, got " + partitions);
    }
  }
}
