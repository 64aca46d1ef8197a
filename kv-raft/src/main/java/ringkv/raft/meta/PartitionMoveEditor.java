package ringkv.raft.meta;

import static ringkv.raft.meta.ClusterMapEditor.reject;
import static ringkv.raft.meta.ClusterMapEditor.requireBootstrapped;
import static ringkv.raft.meta.ClusterMapEditor.shardIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.AddShard;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.FinishPartitionCopy;
import ringkv.api.v1.FinishPartitionDrop;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.RemoveShard;
import ringkv.api.v1.ShardInfo;
import ringkv.router.PartitionTable;
import ringkv.router.Reassignment;
import ringkv.router.ShardId;

/**
 * The map rules of resharding (Admin/AddShard, Admin/RemoveShard): plan the partition moves with
 * the bounded-load assigner, then follow each move through its two map steps. Pure and
 * deterministic like {@link ClusterMapEditor}; a refusal throws {@link MetaRejectedException} and
 * changes nothing.
 *
 * <p>A planned move leaves {@code assignment} alone: requests keep going to the source, which
 * refuses the partition once frozen, until {@link #finishPartitionCopy} switches the owner. One
 * reshard at a time: a new one is refused while moves are in flight.
 */
public final class PartitionMoveEditor {
  private PartitionMoveEditor() {}

  public static ClusterMap addShard(@Nullable ClusterMap current, AddShard cmd) {
    ClusterMap map = requireReshardable(current);
    int id = Math.max(map.getNextShardId(), map.getShardsList().stream().mapToInt(ShardInfo::getId).max().orElse(-1) + 1);
    List<String> replicas = cmd.getReplicaNodeIdsCount() > 0 ? checkedReplicas(map, cmd.getReplicaNodeIdsList())
        : leastLoadedNodes(map);
    Reassignment plan;
    try {
      plan = ClusterMapEditor.assigner(map.getPartitionCount(), map.getPlacement())
          .addShard(ClusterMapEditor.partitionTable(map), ShardId.of(id));
    } catch (IllegalArgumentException e) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "cannot add a shard: " + e.getMessage());
    }
    long epoch = map.getEpoch() + 1;
    ClusterMap.Builder next = map.toBuilder().setEpoch(epoch).setNextShardId(id + 1)
        .addShards(ShardInfo.newBuilder().setId(id).addAllReplicas(replicas));
    addMoves(next, map, plan.table(), epoch);
    return next.build();
  }

  public static ClusterMap removeShard(@Nullable ClusterMap current, RemoveShard cmd) {
    ClusterMap map = requireReshardable(current);
    int index = shardIndex(map, cmd.getShardId());
    if (map.getShardsCount() == 1) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "cannot remove shard " + cmd.getShardId()
          + ": it is the last shard, its partitions would have no owner");
    }
    Reassignment plan;
    try {
      plan = ClusterMapEditor.assigner(map.getPartitionCount(), map.getPlacement())
          .removeShard(ClusterMapEditor.partitionTable(map), ShardId.of(cmd.getShardId()));
    } catch (IllegalArgumentException e) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "cannot remove shard " + cmd.getShardId() + ": " + e.getMessage());
    }
    long epoch = map.getEpoch() + 1;
    ClusterMap.Builder next = map.toBuilder().setEpoch(epoch)
        .setShards(index, map.getShards(index).toBuilder().setRemoving(true));
    addMoves(next, map, plan.table(), epoch);
    return forgetEmptyRemovedShards(next.build());
  }

  /** The target activated the partition: it owns it from this epoch on; the source drops its copy next. */
  public static ClusterMap finishPartitionCopy(@Nullable ClusterMap current, FinishPartitionCopy cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = moveIndex(map, cmd.getPartition(), cmd.getMoveEpoch());
    if (index < 0 || map.getPartitionMoves(index).getState() == PartitionMoveState.DROPPING) {
      return map; // done already (a retried step)
    }
    PartitionMove move = map.getPartitionMoves(index);
    long epoch = map.getEpoch() + 1;
    return map.toBuilder().setEpoch(epoch)
        .setAssignment(move.getPartition(), move.getToShard())
        .setPartitionEpochs(move.getPartition(), epoch)
        .setPartitionMoves(index, move.toBuilder().setState(PartitionMoveState.DROPPING))
        .build();
  }

  /** The source dropped its copy: the move is over; a removed shard left with nothing goes from the map. */
  public static ClusterMap finishPartitionDrop(@Nullable ClusterMap current, FinishPartitionDrop cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = moveIndex(map, cmd.getPartition(), cmd.getMoveEpoch());
    if (index < 0) {
      return map; // done already
    }
    if (map.getPartitionMoves(index).getState() != PartitionMoveState.DROPPING) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "partition " + cmd.getPartition()
          + " is still being copied; its source can drop it only after the copy finished");
    }
    ClusterMap next = map.toBuilder().setEpoch(map.getEpoch() + 1).removePartitionMoves(index).build();
    return forgetEmptyRemovedShards(next);
  }

  /** How many partitions each shard owns, counting planned moves as done (what the layout heads to). */
  public static Map<Integer, Integer> targetLoads(ClusterMap map) {
    int[] owner = map.getAssignmentList().stream().mapToInt(Integer::intValue).toArray();
    for (PartitionMove move : map.getPartitionMovesList()) {
      owner[move.getPartition()] = move.getToShard();
    }
    Map<Integer, Integer> loads = new HashMap<>();
    for (int shard : owner) {
      loads.merge(shard, 1, Integer::sum);
    }
    return loads;
  }

  private static ClusterMap requireReshardable(@Nullable ClusterMap current) {
    ClusterMap map = requireBootstrapped(current);
    if (map.getShardsList().stream().anyMatch(s -> s.getReplicasCount() == 0)) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "shards are not placed yet: the cluster has "
          + map.getNodesCount() + " of the " + map.getReplication() + " nodes its replication needs");
    }
    if (map.getPartitionMovesCount() > 0) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "a reshard is in progress (" + map.getPartitionMovesCount()
          + " partition moves left); start the next one when it finished (kvctl cluster status)");
    }
    return map;
  }

  /** Records a COPYING move for every partition whose owner differs between {@code map} and {@code target}. */
  private static void addMoves(ClusterMap.Builder next, ClusterMap map, PartitionTable target, long epoch) {
    for (int p = 0; p < map.getAssignmentCount(); p++) {
      int from = map.getAssignment(p);
      int to = target.shardOf(p).value();
      if (from != to) {
        next.addPartitionMoves(PartitionMove.newBuilder().setPartition(p).setFromShard(from).setToShard(to)
            .setMoveEpoch(epoch).setState(PartitionMoveState.COPYING));
      }
    }
  }

  /** Drops every removing shard that owns no partition and has no move in flight. */
  private static ClusterMap forgetEmptyRemovedShards(ClusterMap map) {
    Set<Integer> busy = new HashSet<>(map.getAssignmentList());
    for (PartitionMove move : map.getPartitionMovesList()) {
      busy.add(move.getFromShard());
      busy.add(move.getToShard());
    }
    List<ShardInfo> kept = map.getShardsList().stream().filter(s -> !s.getRemoving() || busy.contains(s.getId())).toList();
    if (kept.size() == map.getShardsCount()) {
      return map;
    }
    return map.toBuilder().clearShards().addAllShards(kept).build();
  }

  private static int moveIndex(ClusterMap map, int partition, long moveEpoch) {
    for (int i = 0; i < map.getPartitionMovesCount(); i++) {
      PartitionMove move = map.getPartitionMoves(i);
      if (move.getPartition() == partition && move.getMoveEpoch() == moveEpoch) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> checkedReplicas(ClusterMap map, List<String> requested) {
    Set<String> known = new HashSet<>();
    map.getNodesList().forEach(n -> known.add(n.getId()));
    for (String id : requested) {
      if (known.contains(id) && !NodeEditor.activeNodes(map).contains(id)) {
        throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + id + "' is being removed; it takes no new replicas");
      }
    }
    for (String id : requested) {
      if (!known.contains(id)) {
        throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + id + "' is not a node of the cluster; nodes are "
            + map.getNodesList().stream().map(NodeInfo::getId).toList());
      }
    }
    if (new HashSet<>(requested).size() != requested.size()) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "replicas must be on distinct nodes, got " + requested);
    }
    if (requested.size() != map.getReplication()) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "the cluster keeps " + map.getReplication()
          + " replicas per shard; got " + requested.size() + " nodes: " + requested);
    }
    return requested;
  }

  /**
   * The {@code R} nodes holding the fewest replicas (then fewest preferred leaderships, then join
   * order); the one with the fewest preferred leaderships among them goes first.
   */
  private static List<String> leastLoadedNodes(ClusterMap map) {
    Map<String, Integer> replicas = new HashMap<>();
    Map<String, Integer> leaders = new HashMap<>();
    for (ShardInfo shard : map.getShardsList()) {
      shard.getReplicasList().forEach(n -> replicas.merge(n, 1, Integer::sum));
      if (shard.getReplicasCount() > 0) {
        leaders.merge(shard.getReplicas(0), 1, Integer::sum);
      }
    }
    List<String> order = NodeEditor.activeNodes(map);
    ToIntFunction<String> replicaCount = n -> replicas.getOrDefault(n, 0);
    ToIntFunction<String> leaderCount = n -> leaders.getOrDefault(n, 0);
    List<String> chosen = new ArrayList<>(order.stream()
        .sorted(Comparator.comparingInt(replicaCount).thenComparingInt(leaderCount).thenComparingInt(order::indexOf))
        .limit(map.getReplication()).toList());
    chosen.sort(Comparator.comparingInt(leaderCount).thenComparingInt(order::indexOf));
    return chosen;
  }
}
