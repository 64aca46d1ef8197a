package ringkv.chaos.fault;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.ShardInfo;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * Online resharding as a fault: each inject adds or removes a shard (Admin/AddShard,
 * Admin/RemoveShard), and once the first partitions have moved, kills (kill -9) the node leading
 * the moves' source shard, their target shard or the meta group, in turn (every fourth reshard
 * kills nobody). The heal restarts the victim and waits until every move is done, so a reshard
 * that a kill broke must resume. The shard count walks from its start up to {@code maxShards},
 * down to {@code minShards}, and up again.
 */
public final class ReshardFaults {
  /** Who is killed in the middle of a reshard, in turn. */
  enum Victim { SOURCE_LEADER, TARGET_LEADER, META_LEADER, NONE }

  private static final Duration FIRST_MOVE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(10);

  private ReshardFaults() {}

  public static Fault reshardWithKills(int minShards, int maxShards) {
    AtomicBoolean growing = new AtomicBoolean(true);
    AtomicInteger count = new AtomicInteger();
    return Fault.of("reshard", (cluster, random) -> {
      ClusterMap map = ClusterMaps.anyMap(cluster);
      int shards = map.getShardsCount();
      if (shards >= maxShards) {
        growing.set(false);
      } else if (shards <= minShards) {
        growing.set(true);
      }
      String change;
      ClusterMap planned;
      if (growing.get()) {
        planned = cluster.addShard(ClusterMaps.anyAnswering(cluster)).getMap();
        change = "shard " + planned.getShards(planned.getShardsCount() - 1).getId() + " added";
      } else {
        int removed = map.getShards(random.nextInt(shards)).getId();
        planned = cluster.removeShard(ClusterMaps.anyAnswering(cluster), removed).getMap();
        change = "shard " + removed + " removed";
      }
      int planSize = planned.getPartitionMovesCount();
      Victim kind = Victim.values()[count.getAndIncrement() % Victim.values().length];
      OptionalInt victim = kind == Victim.NONE ? OptionalInt.empty() : victimOnceMoving(cluster, planned, kind, planSize);
      victim.ifPresent(v -> cluster.processes().killNode(v));
      String description = change + " (" + planSize + " partition moves, " + shards + " -> "
          + (planned.getShardsCount() - (growing.get() ? 0 : 1)) + " shards)"
          + (victim.isPresent() ? "; kill -9 of " + Victims.name(cluster, victim.getAsInt()) + " (" + kind + ") mid-copy, restarted on heal"
              : "; no kill");
      return new Fault.Injected(description, () -> {
        victim.ifPresent(v -> cluster.processes().restartNode(v));
        ClusterMaps.await(cluster, "the reshard to finish", FINISH_TIMEOUT,
            m -> m.getPartitionMovesCount() == 0 && m.getShardsList().stream().noneMatch(ShardInfo::getRemoving));
      }, () -> "shards now " + ClusterMaps.anyMap(cluster).getShardsList().stream().map(ShardInfo::getId).toList());
    });
  }

  /** Waits until some of the plan's moves are done, then picks the node to kill (empty if that group has no leader now). */
  private static OptionalInt victimOnceMoving(ChaosCluster cluster, ClusterMap planned, Victim kind, int planSize) {
    ClusterMap map = ClusterMaps.await(cluster, "the first partition moves", FIRST_MOVE_TIMEOUT,
        m -> m.getPartitionMovesCount() < planSize);
    List<PartitionMove> left = map.getPartitionMovesList().isEmpty() ? planned.getPartitionMovesList() : map.getPartitionMovesList();
    PartitionMove move = left.get(0);
    Supplier<OptionalInt> leaderNow = switch (kind) {
      case SOURCE_LEADER -> () -> cluster.leaderOf(move.getFromShard());
      case TARGET_LEADER -> () -> cluster.leaderOf(move.getToShard());
      case META_LEADER -> cluster::metaLeader;
      case NONE -> throw new IllegalArgumentException("no victim to pick for " + kind);
    };
    // a group may be between leaders right now (a node restarted by the previous heal): ask again
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    OptionalInt victim = leaderNow.get();
    while (victim.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return OptionalInt.empty();
      }
      victim = leaderNow.get();
    }
    return victim;
  }
}
