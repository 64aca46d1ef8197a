package ringkv.cli;

import java.util.List;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.NodeStatus;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.PlacementSettings;
import ringkv.api.v1.ReplicaMove;
import ringkv.api.v1.ReplicaStatus;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.ShardLeader;

/**
 * Hand-built Admin answers: 3 nodes, 3 shards of 2 replicas, P = 12, node n3 down.
 *
 * <ul>
 *   <li>shard-0 on n1, n2: n2 leads (not the preferred leader); 5 partitions
 *   <li>shard-1 on n2, n3: n2 leads; 4 partitions
 *   <li>shard-2 on n3, n1: n3 is down, n1 is a candidate, so no leader; 3 partitions
 *   <li>meta on n1, n2, n3: n1 leads
 * </ul>
 */
final class ClusterFixtures {
  static final String DOWN_ERROR = "UNAVAILABLE: io exception";

  private ClusterFixtures() {}

  static NodeInfo node(String id, int n) {
    return NodeInfo.newBuilder()
        .setId(id)
        .setHost("127.0.0.1")
        .setRaftPort(7000 + n)
        .setApiPort(8000 + n)
        .setJoinedEpoch(n)
        .build();
  }

  static ShardInfo shard(int id, String... replicas) {
    return ShardInfo.newBuilder().setId(id).addAllReplicas(List.of(replicas)).build();
  }

  static ClusterMap map() {
    return ClusterMap.newBuilder()
        .setFormatVersion(1)
        .setClusterId("test-cluster")
        .setEpoch(7)
        .setPartitionCount(12)
        .setReplication(2)
        .addNodes(node("n1", 1))
        .addNodes(node("n2", 2))
        .addNodes(node("n3", 3))
        .addShards(shard(0, "n1", "n2"))
        .addShards(shard(1, "n2", "n3"))
        .addShards(shard(2, "n3", "n1"))
        .addAllAssignment(List.of(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0))
        .addAllMetaMembers(List.of("n1", "n2", "n3"))
        .setPlacement(PlacementSettings.newBuilder().setVirtualPointsPerShard(64).setEps(0.25))
        .build();
  }

  static ReplicaStatus meta(String role, String leader, long term, long applied) {
    return ReplicaStatus.newBuilder()
        .setGroup("meta")
        .setIsMeta(true)
        .setRole(role)
        .setLeaderId(leader)
        .setTerm(term)
        .setCommitIndex(applied)
        .setAppliedIndex(applied)
        .build();
  }

  static ReplicaStatus shardReplica(
      int shard, String role, String leader, long term, long applied, long keys) {
    return ReplicaStatus.newBuilder()
        .setGroup("shard-" + shard)
        .setShardId(shard)
        .setRole(role)
        .setLeaderId(leader)
        .setTerm(term)
        .setCommitIndex(applied)
        .setAppliedIndex(applied)
        .setKeyCount(keys)
        .build();
  }

  static NodeStatus up(String id, ReplicaStatus... replicas) {
    return NodeStatus.newBuilder()
        .setNodeId(id)
        .setUp(true)
        .setStatus(
            GetNodeStatusResponse.newBuilder()
                .setNodeId(id)
                .setMapEpoch(7)
                .addAllReplicas(List.of(replicas)))
        .build();
  }

  static NodeStatus down(String id, String error) {
    return NodeStatus.newBuilder().setNodeId(id).setUp(false).setError(error).build();
  }

  static GetClusterStatusResponse status() {
    return GetClusterStatusResponse.newBuilder()
        .setMap(map())
        .addNodes(
            up(
                "n1",
                // deliberately out of order: kvctl lists meta first, then shards by id
                shardReplica(2, "CANDIDATE", "", 4, 88, 9),
                meta("LEADER", "n1", 2, 30),
                shardReplica(0, "FOLLOWER", "n2", 3, 120, 17)))
        .addNodes(
            up(
                "n2",
                meta("FOLLOWER", "n1", 2, 30),
                shardReplica(0, "LEADER", "n2", 3, 121, 18),
                shardReplica(1, "LEADER", "n2", 2, 64, 5)))
        .addNodes(down("n3", DOWN_ERROR))
        .build();
  }

  static GetClusterMapResponse clusterMap() {
    return GetClusterMapResponse.newBuilder()
        .setMap(map())
        .addLeaders(leader(0, "n2", 3))
        .addLeaders(leader(1, "n2", 2))
        .build();
  }

  static ShardLeader leader(int shard, String node, long term) {
    return ShardLeader.newBuilder()
        .setShardId(shard)
        .setNodeId(node)
        .setApiEndpoint("127.0.0.1:800" + node.substring(1))
        .setTerm(term)
        .build();
  }

  /** {@link #map()} with the move of {@code request} in flight, started at {@code startedEpoch}. */
  static ClusterMap moving(MoveReplicaRequest request, long startedEpoch) {
    return moving(
        map().toBuilder().setEpoch(startedEpoch).build(),
        request.getShardId(),
        request.getFromNodeId(),
        request.getToNodeId());
  }

  /** {@link #map()} after the move of {@code request}: to in from's place, at epoch 9. */
  static ClusterMap moved(MoveReplicaRequest request) {
    return moved(
        map().toBuilder().setEpoch(9).build(),
        request.getShardId(),
        request.getFromNodeId(),
        request.getToNodeId());
  }

  /** {@code base} with a replica move of {@code shard} in flight, started at its epoch. */
  static ClusterMap moving(ClusterMap base, int shard, String from, String to) {
    ClusterMap.Builder map = base.toBuilder();
    for (ShardInfo.Builder info : map.getShardsBuilderList()) {
      if (info.getId() == shard) {
        info.setMove(
            ReplicaMove.newBuilder()
                .setFromNodeId(from)
                .setToNodeId(to)
                .setStartedEpoch(base.getEpoch()));
      }
    }
    return map.build();
  }

  /** {@code base} after a replica move of {@code shard}: to in from's place, no move in flight. */
  static ClusterMap moved(ClusterMap base, int shard, String from, String to) {
    ClusterMap.Builder map = base.toBuilder();
    for (ShardInfo.Builder info : map.getShardsBuilderList()) {
      int at = info.getReplicasList().indexOf(from);
      if (info.getId() == shard && at >= 0) {
        info.setReplicas(at, to).clearMove();
      }
    }
    return map.build();
  }

  /**
   * {@link #map()} at {@code epoch} with node n3 leaving: its replicas of shard 1 (to n1) and shard
   * 2 (to n2) move, the last {@code movesLeft} of them still in flight. With none left n3 is still
   * in the map (a meta member) until {@link #removed}.
   */
  static ClusterMap leaving(int movesLeft, long epoch) {
    ClusterMap map =
        map().toBuilder()
            .setEpoch(epoch)
            .setNodes(2, node("n3", 3).toBuilder().setLeaving(true))
            .build();
    map = movesLeft >= 2 ? moving(map, 1, "n3", "n1") : moved(map, 1, "n3", "n1");
    return movesLeft >= 1 ? moving(map, 2, "n3", "n2") : moved(map, 2, "n3", "n2");
  }

  /** {@link #leaving} done at {@code epoch}: the map has forgotten n3. */
  static ClusterMap removed(long epoch) {
    return leaving(0, epoch).toBuilder()
        .removeNodes(2)
        .clearMetaMembers()
        .addAllMetaMembers(List.of("n1", "n2"))
        .build();
  }

  /** {@link #map()} at {@code epoch} with node n4 joined, holding no replica yet. */
  static ClusterMap joined(long epoch) {
    return map().toBuilder().setEpoch(epoch).addNodes(node("n4", 4)).build();
  }

  /** The shard that {@link #adding} adds. */
  static final int ADDED = 3;

  /** The partitions that {@link #adding} moves to shard 3, from shards 0, 1 and 2. */
  private static final List<Integer> ADDED_PARTITIONS = List.of(0, 4, 8);

  /** The partitions of shard 2 that {@link #removing} moves, to shards 0, 1 and 0. */
  private static final List<Integer> REMOVED_PARTITIONS = List.of(2, 5, 8);

  private static final List<Integer> REMOVED_TARGETS = List.of(0, 1, 0);

  /**
   * {@link #map()} at {@code epoch} with shard 3 added on n1, n3, which gets partitions 0, 4 and 8;
   * the last {@code movesLeft} of them still move (the first of those DROPPING, the rest COPYING).
   */
  static ClusterMap adding(int movesLeft, long epoch) {
    ClusterMap.Builder map = map().toBuilder().setEpoch(epoch).addShards(shard(ADDED, "n1", "n3"));
    return planned(map, ADDED_PARTITIONS, List.of(ADDED, ADDED, ADDED), movesLeft, epoch);
  }

  /**
   * {@link #map()} at {@code epoch} with shard 2 removing: its partitions 2, 5 and 8 move to shards
   * 0, 1 and 0; the last {@code movesLeft} of them still move. With none left the map has
   * forgotten shard 2.
   */
  static ClusterMap removing(int movesLeft, long epoch) {
    ClusterMap.Builder map = map().toBuilder().setEpoch(epoch);
    if (movesLeft == 0) {
      map.removeShards(2);
    } else {
      map.getShardsBuilder(2).setRemoving(true);
    }
    return planned(map, REMOVED_PARTITIONS, REMOVED_TARGETS, movesLeft, epoch);
  }

  private static ClusterMap planned(
      ClusterMap.Builder map, List<Integer> partitions, List<Integer> targets, int left, long epoch) {
    int done = partitions.size() - left;
    for (int i = 0; i < partitions.size(); i++) {
      int partition = partitions.get(i);
      if (i < done) {
        map.setAssignment(partition, targets.get(i));
      } else {
        // the first move left has reached DROPPING (once some finished): the target owns it
        boolean dropping = i == done && i > 0;
        map.addPartitionMoves(
            PartitionMove.newBuilder()
                .setPartition(partition)
                .setFromShard(map.getAssignment(partition))
                .setToShard(targets.get(i))
                .setMoveEpoch(epoch)
                .setState(dropping ? PartitionMoveState.DROPPING : PartitionMoveState.COPYING));
        if (dropping) {
          map.setAssignment(partition, targets.get(i));
        }
      }
    }
    return map.build();
  }
}
