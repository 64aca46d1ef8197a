package ringkv.raft.meta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.BootstrapCluster;
import ringkv.api.v1.FinishReplicaMove;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.PlacementSettings;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.ReplicaMove;
import ringkv.api.v1.SetMetaMembers;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.StartReplicaMove;
import ringkv.router.BoundedLoadAssigner;
import ringkv.router.NodeId;
import ringkv.router.PartitionTable;
import ringkv.router.ReplicaPlacer;
import ringkv.router.ShardId;

/**
 * The rules of the cluster map: pure functions from (map, command) to the next map, used by
 * every meta replica at apply time, so they must be deterministic. A refused command throws
 * {@link MetaRejectedException} and leaves the map unchanged.
 */
public final class ClusterMapEditor {
  /** The map format this version writes, and the format of the meta commands the previous version knows. */
  public static final int FORMAT_VERSION = 1;
  /**
   * Meta commands of resharding and node removal (AddShard ... SetPreferredLeader) are format 2: a
   * meta replica from before them refuses them (halts with "upgrade this node") instead of
   * treating them as empty while newer replicas apply them.
   */
  public static final int RESHARD_FORMAT_VERSION = 2;
  /** The newest meta command format this version reads. */
  public static final int READABLE_FORMAT_VERSION = RESHARD_FORMAT_VERSION;
  /** The meta group grows to this many voters as nodes join. */
  public static final int META_REPLICAS = 3;

  private ClusterMapEditor() {}

  public static ClusterMap bootstrap(@Nullable ClusterMap current, BootstrapCluster cmd) {
    if (current != null) {
      throw reject(MetaRejectReason.ALREADY_BOOTSTRAPPED,
          "cluster '" + current.getClusterId() + "' is already bootstrapped");
    }
    if (cmd.getShardCount() < 1) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "shards must be >= 1, got " + cmd.getShardCount());
    }
    if (cmd.getReplication() < 1 || cmd.getReplication() % 2 == 0) {
      throw reject(MetaRejectReason.INVALID_REQUEST,
          "replication must be odd (1, 3, 5, ...): an even count adds no fault tolerance; got " + cmd.getReplication());
    }
    if (cmd.getPartitionCount() < cmd.getShardCount() || cmd.getPartitionCount() > 65536) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "partitions must be between shards (" + cmd.getShardCount()
          + ") and 65536, got " + cmd.getPartitionCount());
    }
    PlacementSettings placement = cmd.hasPlacement() ? cmd.getPlacement() : PlacementSettings.newBuilder()
        .setVirtualPointsPerShard(BoundedLoadAssigner.Config.DEFAULT_VIRTUAL_POINTS)
        .setEps(BoundedLoadAssigner.Config.DEFAULT_EPS).build();
    Set<ShardId> shards = new TreeSet<>();
    for (int i = 0; i < cmd.getShardCount(); i++) {
      shards.add(ShardId.of(i));
    }
    long epoch = 1;
    PartitionTable table = assigner(cmd.getPartitionCount(), placement).initial(shards, epoch);
    ClusterMap.Builder map = ClusterMap.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setClusterId(cmd.getClusterId())
        .setEpoch(epoch)
        .setPartitionCount(cmd.getPartitionCount())
        .setReplication(cmd.getReplication())
        .addNodes(cmd.getFirstNode().toBuilder().setJoinedEpoch(epoch))
        .addMetaMembers(cmd.getFirstNode().getId())
        .setPlacement(placement);
    for (ShardId shard : shards) {
      map.addShards(ShardInfo.newBuilder().setId(shard.value()));
    }
    for (int p = 0; p < table.partitionCount(); p++) {
      map.addAssignment(table.shardOf(p).value());
      map.addPartitionEpochs(epoch);
    }
    return placeIfPossible(map.build());
  }

  public static ClusterMap registerNode(@Nullable ClusterMap current, RegisterNode cmd) {
    if (current == null) {
      throw reject(MetaRejectReason.NOT_BOOTSTRAPPED, "the cluster is not bootstrapped yet");
    }
    if (!cmd.getClusterId().equals(current.getClusterId())) {
      throw reject(MetaRejectReason.CLUSTER_ID_MISMATCH, "this is cluster '" + current.getClusterId()
          + "', the node asked to join cluster '" + cmd.getClusterId() + "'");
    }
    NodeInfo joining = cmd.getNode();
    for (NodeInfo existing : current.getNodesList()) {
      boolean sameId = existing.getId().equals(joining.getId());
      boolean sameAddress = sameRaftAddress(existing, joining);
      if (sameId && sameAddress && existing.getApiPort() == joining.getApiPort()) {
        return current; // the same node registering again (a restart or a retried join)
      }
      if (sameId) {
        throw reject(MetaRejectReason.DUPLICATE_NODE_ID, "node id '" + joining.getId() + "' is already taken by "
            + existing.getHost() + ":" + existing.getRaftPort());
      }
      if (sameAddress) {
        throw reject(MetaRejectReason.DUPLICATE_NODE_ID, "raft address " + joining.getHost() + ":"
            + joining.getRaftPort() + " already belongs to node '" + existing.getId() + "'");
      }
    }
    long epoch = current.getEpoch() + 1;
    ClusterMap next = current.toBuilder().setEpoch(epoch)
        .addNodes(joining.toBuilder().setJoinedEpoch(epoch)).build();
    return placeIfPossible(next);
  }

  public static ClusterMap setMetaMembers(@Nullable ClusterMap current, SetMetaMembers cmd) {
    if (current == null) {
      throw reject(MetaRejectReason.NOT_BOOTSTRAPPED, "the cluster is not bootstrapped yet");
    }
    Set<String> known = current.getNodesList().stream().map(NodeInfo::getId).collect(Collectors.toSet());
    for (String id : cmd.getNodeIdsList()) {
      if (!known.contains(id)) {
        throw reject(MetaRejectReason.INVALID_REQUEST, "meta member '" + id + "' is not a node of the cluster");
      }
    }
    if (cmd.getNodeIdsList().equals(current.getMetaMembersList())) {
      return current;
    }
    return current.toBuilder().setEpoch(current.getEpoch() + 1).clearMetaMembers().addAllMetaMembers(cmd.getNodeIdsList()).build();
  }

  /**
   * Starts moving a replica of a shard: validates and records the move. Starting the same move
   * again, while it runs or after it finished, is a no-op (a retried request); a second,
   * different move of one shard is refused.
   */
  public static ClusterMap startReplicaMove(@Nullable ClusterMap current, StartReplicaMove cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = shardIndex(map, cmd.getShardId());
    ShardInfo shard = map.getShards(index);
    String from = cmd.getFromNodeId();
    String to = cmd.getToNodeId();
    if (shard.hasMove()) {
      ReplicaMove moving = shard.getMove();
      if (moving.getFromNodeId().equals(from) && moving.getToNodeId().equals(to)) {
        return map;
      }
      throw reject(MetaRejectReason.INVALID_REQUEST, "shard " + shard.getId() + " already moves a replica from "
          + moving.getFromNodeId() + " to " + moving.getToNodeId() + "; one move per shard at a time");
    }
    if (shard.getReplicasList().contains(to) && !shard.getReplicasList().contains(from)) {
      return map; // this move already happened (a request retried after it finished)
    }
    if (!shard.getReplicasList().contains(from)) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + from + "' holds no replica of shard " + shard.getId()
          + "; its replicas are on " + shard.getReplicasList());
    }
    if (map.getNodesList().stream().noneMatch(n -> n.getId().equals(to))) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + to + "' is not a node of the cluster; nodes are "
          + map.getNodesList().stream().map(NodeInfo::getId).toList());
    }
    if (shard.getReplicasList().contains(to)) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + to + "' already holds a replica of shard " + shard.getId());
    }
    if (map.getNodesList().stream().anyMatch(n -> n.getId().equals(to) && n.getLeaving())) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + to + "' is being removed; it takes no new replicas");
    }
    long epoch = map.getEpoch() + 1;
    ShardInfo moving = shard.toBuilder().setMove(ReplicaMove.newBuilder().setFromNodeId(from).setToNodeId(to)
        .setStartedEpoch(epoch)).build();
    return map.toBuilder().setEpoch(epoch).setShards(index, moving).build();
  }

  /**
   * Records a finished replica move: {@code to} takes {@code from}'s place in the replicas list
   * (so it becomes the preferred leader if {@code from} was). Finishing it again is a no-op.
   */
  public static ClusterMap finishReplicaMove(@Nullable ClusterMap current, FinishReplicaMove cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = shardIndex(map, cmd.getShardId());
    ShardInfo shard = map.getShards(index);
    List<String> replicas = shard.getReplicasList();
    if (!shard.hasMove()) {
      if (replicas.contains(cmd.getToNodeId()) && !replicas.contains(cmd.getFromNodeId())) {
        return map;
      }
      throw reject(MetaRejectReason.INVALID_REQUEST, "shard " + shard.getId() + " has no replica move in flight");
    }
    ReplicaMove move = shard.getMove();
    if (!move.getFromNodeId().equals(cmd.getFromNodeId()) || !move.getToNodeId().equals(cmd.getToNodeId())) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "shard " + shard.getId() + " moves a replica from " + move.getFromNodeId()
          + " to " + move.getToNodeId() + ", not from " + cmd.getFromNodeId() + " to " + cmd.getToNodeId());
    }
    List<String> next = new ArrayList<>(replicas);
    next.set(next.indexOf(move.getFromNodeId()), move.getToNodeId());
    ShardInfo moved = shard.toBuilder().clearMove().clearReplicas().addAllReplicas(next).build();
    return map.toBuilder().setEpoch(map.getEpoch() + 1).setShards(index, moved).build();
  }

  static ClusterMap requireBootstrapped(@Nullable ClusterMap current) {
    if (current == null) {
      throw reject(MetaRejectReason.NOT_BOOTSTRAPPED, "the cluster is not bootstrapped yet");
    }
    return current;
  }

  static int shardIndex(ClusterMap map, int shardId) {
    for (int i = 0; i < map.getShardsCount(); i++) {
      if (map.getShards(i).getId() == shardId) {
        return i;
      }
    }
    throw reject(MetaRejectReason.INVALID_REQUEST, "shard " + shardId + " does not exist; the cluster has shards "
        + map.getShardsList().stream().map(ShardInfo::getId).toList());
  }

  /** Places every shard's replicas once there are enough nodes; until then shards wait. */
  static ClusterMap placeIfPossible(ClusterMap map) {
    boolean unplaced = map.getShardsList().stream().anyMatch(s -> s.getReplicasCount() == 0);
    if (!unplaced || map.getNodesCount() < map.getReplication()) {
      return map;
    }
    List<ShardId> shards = map.getShardsList().stream().map(s -> ShardId.of(s.getId())).toList();
    List<NodeId> nodes = map.getNodesList().stream().map(n -> NodeId.of(n.getId())).toList();
    Map<ShardId, List<NodeId>> placement = ReplicaPlacer.initial(new TreeSet<>(shards), new TreeSet<>(nodes), map.getReplication()).replicas();
    ClusterMap.Builder next = map.toBuilder().clearShards();
    for (ShardId shard : shards) {
      next.addShards(ShardInfo.newBuilder().setId(shard.value())
          .addAllReplicas(placement.get(shard).stream().map(NodeId::value).toList()));
    }
    return next.build();
  }

  /** The nodes to add to the meta group next, in join order (empty when it is big enough). */
  public static List<String> metaCandidates(ClusterMap map) {
    int wanted = Math.min(META_REPLICAS, map.getNodesCount());
    List<String> candidates = new ArrayList<>();
    for (NodeInfo node : map.getNodesList()) {
      if (map.getMetaMembersCount() + candidates.size() >= wanted) {
        break;
      }
      if (!map.getMetaMembersList().contains(node.getId()) && !node.getLeaving()) {
        candidates.add(node.getId());
      }
    }
    return Collections.unmodifiableList(candidates);
  }

  /** The format a meta command is written in: 2 for the commands format 1 does not know. */
  public static int formatVersionOf(ringkv.api.v1.MetaCommand command) {
    return switch (command.getCommandCase()) {
      case ADD_SHARD, REMOVE_SHARD, FINISH_PARTITION_COPY, FINISH_PARTITION_DROP, REMOVE_NODE, FORGET_NODE,
          REBALANCE_REPLICAS, SET_PREFERRED_LEADER -> RESHARD_FORMAT_VERSION;
      default -> FORMAT_VERSION;
    };
  }

  /** The bounded-load assigner with the map's placement settings. */
  static BoundedLoadAssigner assigner(int partitionCount, PlacementSettings placement) {
    return new BoundedLoadAssigner(new BoundedLoadAssigner.Config(partitionCount, placement.getVirtualPointsPerShard(),
        placement.getEps()));
  }

  /** The partition table of the map (empty shards list means not placed yet). */
  public static PartitionTable partitionTable(ClusterMap map) {
    return PartitionTable.of(map.getEpoch(), map.getAssignmentList().stream().map(ShardId::of).toList());
  }

  private static boolean sameRaftAddress(NodeInfo a, NodeInfo b) {
    return a.getHost().equals(b.getHost()) && a.getRaftPort() == b.getRaftPort();
  }

  static MetaRejectedException reject(MetaRejectReason reason, String message) {
    return new MetaRejectedException(reason, message);
  }
}
