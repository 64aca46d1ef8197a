package ringkv.raft.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AddShard;
import ringkv.api.v1.BootstrapCluster;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.FinishPartitionCopy;
import ringkv.api.v1.FinishPartitionDrop;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.RemoveShard;
import ringkv.api.v1.ShardInfo;
import ringkv.router.BoundedLoadAssigner;

class PartitionMoveEditorTest {
  private static final int P = 1024;

  private static NodeInfo node(String id, int port) {
    return NodeInfo.newBuilder().setId(id).setHost("127.0.0.1").setRaftPort(port).setApiPort(port + 1000).build();
  }

  private static ClusterMap register(ClusterMap map, NodeInfo node) {
    return ClusterMapEditor.registerNode(map, RegisterNode.newBuilder().setClusterId("c").setNode(node).build());
  }

  private static ClusterMap bootstrapped(int shards) {
    return ClusterMapEditor.bootstrap(null, BootstrapCluster.newBuilder().setClusterId("c").setShardCount(shards)
        .setReplication(3).setPartitionCount(P).setFirstNode(node("n1", 7001)).build());
  }

  /** 3 shards, 3 nodes, 1024 partitions, replicas placed. */
  private static ClusterMap placed() {
    return placed(3);
  }

  private static ClusterMap placed(int shards) {
    return register(register(bootstrapped(shards), node("n2", 7002)), node("n3", 7003));
  }

  private static BoundedLoadAssigner.Config config(ClusterMap map) {
    return new BoundedLoadAssigner.Config(map.getPartitionCount(), map.getPlacement().getVirtualPointsPerShard(),
        map.getPlacement().getEps());
  }

  private static AddShard add(String... nodes) {
    return AddShard.newBuilder().addAllReplicaNodeIds(List.of(nodes)).build();
  }

  private static RemoveShard remove(int shard) {
    return RemoveShard.newBuilder().setShardId(shard).build();
  }

  private static FinishPartitionCopy copied(PartitionMove move) {
    return FinishPartitionCopy.newBuilder().setPartition(move.getPartition()).setMoveEpoch(move.getMoveEpoch()).build();
  }

  private static FinishPartitionDrop dropped(PartitionMove move) {
    return FinishPartitionDrop.newBuilder().setPartition(move.getPartition()).setMoveEpoch(move.getMoveEpoch()).build();
  }

  /** Runs every planned move through its two map steps, as the meta leader's controller would. */
  private static ClusterMap finishAllMoves(ClusterMap map) {
    for (PartitionMove move : map.getPartitionMovesList()) {
      map = PartitionMoveEditor.finishPartitionCopy(map, copied(move));
    }
    for (PartitionMove move : List.copyOf(map.getPartitionMovesList())) {
      map = PartitionMoveEditor.finishPartitionDrop(map, dropped(move));
    }
    return map;
  }

  private static Set<Integer> shardIds(ClusterMap map) {
    Set<Integer> ids = new HashSet<>();
    map.getShardsList().forEach(s -> ids.add(s.getId()));
    return ids;
  }

  @Test
  void addShard_placedMap_newShardGetsNextIdAndReplicasOnTheLeastLoadedNodes() {
    ClusterMap map = placed();
    ClusterMap next = PartitionMoveEditor.addShard(map, AddShard.getDefaultInstance());
    assertThat(next.getEpoch()).isEqualTo(map.getEpoch() + 1);
    assertThat(next.getShardsList()).hasSize(4);
    ShardInfo added = next.getShards(3);
    assertThat(added.getId()).isEqualTo(3);
    assertThat(added.getRemoving()).isFalse();
    // three nodes, each holding one replica of every shard and leading one: all three, in join order
    assertThat(added.getReplicasList()).containsExactly("n1", "n2", "n3");
    // the old shards are untouched
    assertThat(next.getShardsList().subList(0, 3)).isEqualTo(map.getShardsList());
  }

  @Test
  void addShard_aNodeWithFewerReplicas_isChosenAndLeadsTheNewShard() {
    ClusterMap map = register(placed(), node("n4", 7004));
    ClusterMap next = PartitionMoveEditor.addShard(map, AddShard.getDefaultInstance());
    List<String> replicas = next.getShards(3).getReplicasList();
    assertThat(replicas).hasSize(3).doesNotHaveDuplicates().contains("n4");
    assertThat(replicas.get(0)).as("the node with no preferred leadership leads").isEqualTo("n4");
  }

  @Test
  void addShard_placedMap_movesOnlyToTheNewShard_aboutAQuarter_withinTheAssignerBounds() {
    ClusterMap map = placed();
    ClusterMap next = PartitionMoveEditor.addShard(map, AddShard.getDefaultInstance());
    BoundedLoadAssigner.Config config = config(map);
    List<PartitionMove> moves = next.getPartitionMovesList();

    assertThat(moves).allSatisfy(m -> {
      assertThat(m.getToShard()).isEqualTo(3);
      assertThat(m.getFromShard()).isEqualTo(map.getAssignment(m.getPartition()));
      assertThat(m.getMoveEpoch()).isEqualTo(next.getEpoch());
      assertThat(m.getState()).isEqualTo(PartitionMoveState.COPYING);
    });
    assertThat(moves).extracting(PartitionMove::getPartition).isSorted().doesNotHaveDuplicates();
    assertThat(moves.size()).isBetween(config.floor(4), config.cap(4));
    assertThat(moves.size()).isCloseTo(P / 4, org.assertj.core.data.Percentage.withPercentage(25));

    Map<Integer, Integer> loads = PartitionMoveEditor.targetLoads(next);
    assertThat(loads).containsOnlyKeys(0, 1, 2, 3);
    assertThat(loads.values()).allSatisfy(load -> assertThat(load).isBetween(config.floor(4), config.cap(4)));
    assertThat(loads.get(3)).isEqualTo(moves.size());
  }

  @Test
  void addShard_assignmentAndPartitionEpochs_unchangedUntilTheCopyFinishes() {
    ClusterMap map = placed();
    ClusterMap next = PartitionMoveEditor.addShard(map, AddShard.getDefaultInstance());
    assertThat(next.getAssignmentList()).isEqualTo(map.getAssignmentList());
    assertThat(next.getPartitionEpochsList()).isEqualTo(map.getPartitionEpochsList());
    assertThat(next.getAssignmentList()).doesNotContain(3);
  }

  @Test
  void addShard_explicitReplicas_areUsedInTheGivenOrder() {
    ClusterMap map = placed();
    ClusterMap next = PartitionMoveEditor.addShard(map, add("n3", "n1", "n2"));
    assertThat(next.getShards(3).getReplicasList()).containsExactly("n3", "n1", "n2");
  }

  @Test
  void addShard_replicasOnUnknownNode_refusedNamingTheNode_mapUnchanged() {
    ClusterMap map = placed();
    ClusterMap before = map.toBuilder().build();
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(map, add("n1", "n2", "n9")))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.INVALID_REQUEST))
        .hasMessageContaining("'n9'").hasMessageContaining("not a node");
    assertThat(map).isEqualTo(before);
  }

  @Test
  void addShard_replicasOnTheSameNodeTwice_refusedNamingTheProblem_mapUnchanged() {
    ClusterMap map = placed();
    ClusterMap before = map.toBuilder().build();
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(map, add("n1", "n2", "n1")))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("distinct nodes").hasMessageContaining("n1");
    assertThat(map).isEqualTo(before);
  }

  @Test
  void addShard_wrongReplicaCount_refusedNamingTheCounts_mapUnchanged() {
    ClusterMap map = register(placed(), node("n4", 7004));
    ClusterMap before = map.toBuilder().build();
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(map, add("n1", "n2")))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("3 replicas").hasMessageContaining("got 2");
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(map, add("n1", "n2", "n3", "n4")))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("3 replicas").hasMessageContaining("got 4");
    assertThat(map).isEqualTo(before);
  }

  @Test
  void addShard_whileMovesInFlight_refused() {
    ClusterMap adding = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(adding, AddShard.getDefaultInstance()))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.INVALID_REQUEST))
        .hasMessageContaining("reshard is in progress");
    assertThatThrownBy(() -> PartitionMoveEditor.removeShard(adding, remove(0)))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("reshard is in progress");
    // still refused while only drops are left
    ClusterMap copied = adding;
    for (PartitionMove move : adding.getPartitionMovesList()) {
      copied = PartitionMoveEditor.finishPartitionCopy(copied, copied(move));
    }
    ClusterMap dropping = copied;
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(dropping, AddShard.getDefaultInstance()))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("reshard is in progress");
  }

  @Test
  void addShardAndRemoveShard_shardsNotPlacedYet_refused() {
    ClusterMap unplaced = register(bootstrapped(3), node("n2", 7002));
    assertThat(unplaced.getShards(0).getReplicasList()).isEmpty();
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(unplaced, AddShard.getDefaultInstance()))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("not placed");
    assertThatThrownBy(() -> PartitionMoveEditor.removeShard(unplaced, remove(0)))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("not placed");
  }

  @Test
  void addShard_notBootstrapped_refused() {
    assertThatThrownBy(() -> PartitionMoveEditor.addShard(null, AddShard.getDefaultInstance()))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.NOT_BOOTSTRAPPED));
  }

  @Test
  void removeShard_onlyItsPartitionsMove_eachToASurvivor_shardMarkedRemoving() {
    ClusterMap map = placed(4);
    ClusterMap next = PartitionMoveEditor.removeShard(map, remove(2));
    BoundedLoadAssigner.Config config = config(map);
    long owned = map.getAssignmentList().stream().filter(s -> s == 2).count();

    assertThat(next.getEpoch()).isEqualTo(map.getEpoch() + 1);
    assertThat(next.getShardsList()).hasSize(4);
    assertThat(next.getShardsList()).filteredOn(ShardInfo::getRemoving).extracting(ShardInfo::getId).containsExactly(2);
    assertThat(next.getPartitionMovesList()).hasSize((int) owned).allSatisfy(m -> {
      assertThat(m.getFromShard()).isEqualTo(2);
      assertThat(m.getToShard()).isIn(0, 1, 3);
      assertThat(map.getAssignment(m.getPartition())).isEqualTo(2);
      assertThat(m.getMoveEpoch()).isEqualTo(next.getEpoch());
      assertThat(m.getState()).isEqualTo(PartitionMoveState.COPYING);
    });
    assertThat(next.getAssignmentList()).isEqualTo(map.getAssignmentList());
    Map<Integer, Integer> loads = PartitionMoveEditor.targetLoads(next);
    assertThat(loads).containsOnlyKeys(0, 1, 3);
    assertThat(loads.values()).allSatisfy(load -> assertThat(load).isLessThanOrEqualTo(config.cap(3)));
  }

  @Test
  void removeShard_unknownShard_refusedNamingIt() {
    ClusterMap map = placed();
    assertThatThrownBy(() -> PartitionMoveEditor.removeShard(map, remove(7)))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("shard 7 does not exist");
  }

  @Test
  void removeShard_theLastShard_refused() {
    ClusterMap single = placed(1);
    assertThat(single.getShardsList()).hasSize(1);
    assertThatThrownBy(() -> PartitionMoveEditor.removeShard(single, remove(0)))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.INVALID_REQUEST))
        .hasMessageContaining("last shard");
  }

  @Test
  void removeShard_downToOneThenTheLast_refused() {
    ClusterMap map = finishAllMoves(PartitionMoveEditor.removeShard(placed(2), remove(1)));
    assertThat(shardIds(map)).containsExactly(0);
    ClusterMap last = map;
    assertThatThrownBy(() -> PartitionMoveEditor.removeShard(last, remove(0))).hasMessageContaining("last shard");
  }

  @Test
  void finishPartitionCopy_switchesOwnerAndPartitionEpoch_andIsIdempotent() {
    ClusterMap planned = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    PartitionMove move = planned.getPartitionMoves(0);
    int p = move.getPartition();

    ClusterMap copied = PartitionMoveEditor.finishPartitionCopy(planned, copied(move));
    assertThat(copied.getEpoch()).isEqualTo(planned.getEpoch() + 1);
    assertThat(copied.getAssignment(p)).isEqualTo(3);
    assertThat(copied.getPartitionEpochs(p)).isEqualTo(copied.getEpoch());
    assertThat(copied.getPartitionMoves(0).getState()).isEqualTo(PartitionMoveState.DROPPING);
    assertThat(copied.getPartitionMovesList()).hasSameSizeAs(planned.getPartitionMovesList());
    // only that partition changed
    for (int q = 0; q < P; q++) {
      if (q != p) {
        assertThat(copied.getAssignment(q)).isEqualTo(planned.getAssignment(q));
        assertThat(copied.getPartitionEpochs(q)).isEqualTo(planned.getPartitionEpochs(q));
      }
    }
    // a retried step changes nothing, not even the epoch
    assertThat(PartitionMoveEditor.finishPartitionCopy(copied, copied(move))).isEqualTo(copied);
  }

  @Test
  void finishPartitionCopy_unknownMoveEpoch_changesNothing() {
    ClusterMap planned = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    PartitionMove move = planned.getPartitionMoves(0);
    FinishPartitionCopy stale = copied(move).toBuilder().setMoveEpoch(move.getMoveEpoch() - 1).build();
    assertThat(PartitionMoveEditor.finishPartitionCopy(planned, stale)).isEqualTo(planned);
  }

  @Test
  void finishPartitionDrop_beforeTheCopyFinished_refused_mapUnchanged() {
    ClusterMap planned = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    ClusterMap before = planned.toBuilder().build();
    PartitionMove move = planned.getPartitionMoves(0);
    assertThatThrownBy(() -> PartitionMoveEditor.finishPartitionDrop(planned, dropped(move)))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.INVALID_REQUEST))
        .hasMessageContaining("partition " + move.getPartition()).hasMessageContaining("still being copied");
    assertThat(planned).isEqualTo(before);
  }

  @Test
  void finishPartitionDrop_afterTheCopy_endsTheMove_andARetryChangesNothing() {
    ClusterMap planned = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    PartitionMove move = planned.getPartitionMoves(0);
    ClusterMap copied = PartitionMoveEditor.finishPartitionCopy(planned, copied(move));
    ClusterMap done = PartitionMoveEditor.finishPartitionDrop(copied, dropped(move));
    assertThat(done.getEpoch()).isEqualTo(copied.getEpoch() + 1);
    assertThat(done.getPartitionMovesList()).hasSize(planned.getPartitionMovesCount() - 1)
        .noneMatch(m -> m.getPartition() == move.getPartition());
    assertThat(done.getAssignment(move.getPartition())).isEqualTo(3);
    assertThat(PartitionMoveEditor.finishPartitionDrop(done, dropped(move))).isEqualTo(done);
    assertThat(PartitionMoveEditor.finishPartitionCopy(done, copied(move))).isEqualTo(done);
  }

  @Test
  void addShard_allMovesFinished_newShardOwnsWhatWasPlanned_noMovesLeft() {
    ClusterMap planned = PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance());
    Map<Integer, Integer> target = PartitionMoveEditor.targetLoads(planned);
    ClusterMap done = finishAllMoves(planned);
    assertThat(done.getPartitionMovesList()).isEmpty();
    assertThat(shardIds(done)).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(PartitionMoveEditor.targetLoads(done)).isEqualTo(target);
    for (PartitionMove move : planned.getPartitionMovesList()) {
      assertThat(done.getAssignment(move.getPartition())).isEqualTo(3);
      assertThat(done.getPartitionEpochs(move.getPartition())).isGreaterThan(planned.getEpoch());
    }
  }

  @Test
  void removeShard_afterAllDrops_theShardIsGoneFromTheMap() {
    ClusterMap planned = PartitionMoveEditor.removeShard(placed(), remove(1));
    List<PartitionMove> moves = planned.getPartitionMovesList();
    ClusterMap map = planned;
    for (PartitionMove move : moves) {
      map = PartitionMoveEditor.finishPartitionCopy(map, copied(move));
    }
    assertThat(shardIds(map)).as("still there while its copies wait to be dropped").contains(1);
    for (int i = 0; i < moves.size(); i++) {
      map = PartitionMoveEditor.finishPartitionDrop(map, dropped(moves.get(i)));
      if (i < moves.size() - 1) {
        assertThat(shardIds(map)).contains(1);
      }
    }
    assertThat(shardIds(map)).containsExactlyInAnyOrder(0, 2);
    assertThat(map.getAssignmentList()).doesNotContain(1);
    assertThat(map.getPartitionMovesList()).isEmpty();
  }

  @Test
  void addThenRemove_fullCycle_everyPartitionOnAnExistingShard_noMoves() {
    ClusterMap map = finishAllMoves(PartitionMoveEditor.addShard(placed(), AddShard.getDefaultInstance()));
    map = finishAllMoves(PartitionMoveEditor.removeShard(map, remove(0)));
    map = finishAllMoves(PartitionMoveEditor.addShard(map, AddShard.getDefaultInstance()));
    map = finishAllMoves(PartitionMoveEditor.removeShard(map, remove(3)));

    assertThat(map.getPartitionMovesList()).isEmpty();
    assertThat(map.getShardsList()).noneMatch(ShardInfo::getRemoving);
    Set<Integer> existing = shardIds(map);
    assertThat(existing).hasSize(3);
    assertThat(map.getAssignmentList()).hasSize(P).allSatisfy(s -> assertThat(existing).contains(s));
    assertThat(new HashSet<>(map.getAssignmentList())).isEqualTo(existing);
    BoundedLoadAssigner.Config config = config(map);
    assertThat(PartitionMoveEditor.targetLoads(map).values())
        .allSatisfy(load -> assertThat(load).isLessThanOrEqualTo(config.cap(3)));
  }

  @Test
  void addShard_afterTheHighestShardWasRemoved_neverReusesItsId() {
    ClusterMap map = finishAllMoves(PartitionMoveEditor.addShard(placed(), add()));
    assertThat(shardIds(map)).containsExactlyInAnyOrder(0, 1, 2, 3);
    map = finishAllMoves(PartitionMoveEditor.removeShard(map, remove(3)));
    assertThat(shardIds(map)).containsExactlyInAnyOrder(0, 1, 2);

    map = PartitionMoveEditor.addShard(map, add());
    // a node that was down during the removal may still hold shard 3's Raft group (its id derives from the shard id)
    assertThat(map.getShards(map.getShardsCount() - 1).getId()).isEqualTo(4);
  }
}
