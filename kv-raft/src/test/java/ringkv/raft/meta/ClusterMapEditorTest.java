package ringkv.raft.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.BootstrapCluster;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.FinishReplicaMove;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.SetMetaMembers;
import ringkv.api.v1.StartReplicaMove;

class ClusterMapEditorTest {
  private static NodeInfo node(String id, int port) {
    return NodeInfo.newBuilder().setId(id).setHost("127.0.0.1").setRaftPort(port).setApiPort(port + 1000).build();
  }

  private static BootstrapCluster bootstrap(int shards, int replication) {
    return BootstrapCluster.newBuilder().setClusterId("c").setShardCount(shards).setReplication(replication)
        .setPartitionCount(1024).setFirstNode(node("n1", 7001)).build();
  }

  private static ClusterMap register(ClusterMap map, NodeInfo node) {
    return ClusterMapEditor.registerNode(map, RegisterNode.newBuilder().setClusterId("c").setNode(node).build());
  }

  @Test
  void bootstrap_assignsEveryPartition_butPlacesReplicasOnlyOnceEnoughNodesJoined() {
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(3, 3));
    assertThat(map.getEpoch()).isEqualTo(1);
    assertThat(map.getAssignmentList()).hasSize(1024);
    assertThat(new HashSet<>(map.getAssignmentList())).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(map.getPartitionEpochsList()).hasSize(1024).containsOnly(1L);
    assertThat(map.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).isEmpty());
    assertThat(map.getMetaMembersList()).containsExactly("n1");

    map = register(map, node("n2", 7002));
    assertThat(map.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).isEmpty());
    map = register(map, node("n3", 7003));
    assertThat(map.getEpoch()).isEqualTo(3);
    assertThat(map.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).containsExactlyInAnyOrder("n1", "n2", "n3"));
    Set<String> preferredLeaders = new HashSet<>();
    map.getShardsList().forEach(s -> preferredLeaders.add(s.getReplicas(0)));
    assertThat(preferredLeaders).as("leaders spread over nodes").hasSize(3);
  }

  @Test
  void bootstrap_singleReplica_isPlacedAtOnce() {
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(2, 1));
    assertThat(map.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).containsExactly("n1"));
  }

  @Test
  void bootstrap_badShapes_areRefusedWithTheReason() {
    assertThatThrownBy(() -> ClusterMapEditor.bootstrap(null, bootstrap(0, 3)))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("shards must be >= 1, got 0");
    assertThatThrownBy(() -> ClusterMapEditor.bootstrap(null, bootstrap(3, 2)))
        .hasMessageContaining("replication must be odd");
    assertThatThrownBy(() -> ClusterMapEditor.bootstrap(null, bootstrap(2000, 1)))
        .hasMessageContaining("partitions must be between shards");
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(3, 3));
    assertThatThrownBy(() -> ClusterMapEditor.bootstrap(map, bootstrap(3, 3)))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.ALREADY_BOOTSTRAPPED));
  }

  @Test
  void register_wrongClusterId_refused() {
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(3, 3));
    assertThatThrownBy(() -> ClusterMapEditor.registerNode(map,
        RegisterNode.newBuilder().setClusterId("other").setNode(node("n2", 7002)).build()))
        .isInstanceOfSatisfying(MetaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(MetaRejectReason.CLUSTER_ID_MISMATCH))
        .hasMessageContaining("'c'").hasMessageContaining("'other'");
  }

  @Test
  void register_takenIdOrAddress_refused_butTheSameNodeAgainIsANoOp() {
    ClusterMap map = register(ClusterMapEditor.bootstrap(null, bootstrap(3, 3)), node("n2", 7002));
    assertThatThrownBy(() -> register(map, node("n2", 7009))).hasMessageContaining("node id 'n2' is already taken");
    assertThatThrownBy(() -> register(map, node("n5", 7002))).hasMessageContaining("already belongs to node 'n2'");
    assertThat(register(map, node("n2", 7002))).isSameAs(map);
  }

  @Test
  void metaCandidates_growTheMetaGroupToThreeInJoinOrder() {
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(3, 3));
    assertThat(ClusterMapEditor.metaCandidates(map)).isEmpty();
    map = register(register(register(map, node("n2", 7002)), node("n3", 7003)), node("n4", 7004));
    assertThat(ClusterMapEditor.metaCandidates(map)).containsExactly("n2", "n3");
    map = ClusterMapEditor.setMetaMembers(map, SetMetaMembers.newBuilder().addNodeIds("n1").addNodeIds("n2").addNodeIds("n3").build());
    assertThat(ClusterMapEditor.metaCandidates(map)).isEmpty();
    ClusterMap fixed = map;
    assertThatThrownBy(() -> ClusterMapEditor.setMetaMembers(fixed, SetMetaMembers.newBuilder().addNodeIds("n9").build()))
        .hasMessageContaining("'n9' is not a node");
  }

  private static ClusterMap fourNodes() {
    ClusterMap map = ClusterMapEditor.bootstrap(null, bootstrap(1, 3));
    map = register(map, node("n2", 7002));
    map = register(map, node("n3", 7003));
    return register(map, node("n4", 7004));
  }

  private static StartReplicaMove start(String from, String to) {
    return StartReplicaMove.newBuilder().setShardId(0).setFromNodeId(from).setToNodeId(to).build();
  }

  private static FinishReplicaMove finish(String from, String to) {
    return FinishReplicaMove.newBuilder().setShardId(0).setFromNodeId(from).setToNodeId(to).build();
  }

  @Test
  void replicaMove_startThenFinish_swapsTheReplicaInPlace_twoEpochs() {
    ClusterMap map = fourNodes();
    java.util.List<String> before = map.getShards(0).getReplicasList();
    assertThat(before).doesNotContain("n4");
    String from = before.get(0);
    ClusterMap started = ClusterMapEditor.startReplicaMove(map, start(from, "n4"));
    assertThat(started.getEpoch()).isEqualTo(map.getEpoch() + 1);
    assertThat(started.getShards(0).getMove().getToNodeId()).isEqualTo("n4");
    assertThat(started.getShards(0).getReplicasList()).isEqualTo(before);
    // a retried start changes nothing
    assertThat(ClusterMapEditor.startReplicaMove(started, start(from, "n4"))).isEqualTo(started);

    ClusterMap finished = ClusterMapEditor.finishReplicaMove(started, finish(from, "n4"));
    assertThat(finished.getEpoch()).isEqualTo(started.getEpoch() + 1);
    assertThat(finished.getShards(0).hasMove()).isFalse();
    assertThat(finished.getShards(0).getReplicas(0)).isEqualTo("n4");
    assertThat(finished.getShards(0).getReplicasList()).containsExactly("n4", before.get(1), before.get(2));
    // a retried finish, or a retried start after the end, changes nothing
    assertThat(ClusterMapEditor.finishReplicaMove(finished, finish(from, "n4"))).isEqualTo(finished);
    assertThat(ClusterMapEditor.startReplicaMove(finished, start(from, "n4"))).isEqualTo(finished);
  }

  @Test
  void replicaMove_badRequests_refusedWithTheReason_mapUnchanged() {
    ClusterMap map = fourNodes();
    String replica = map.getShards(0).getReplicas(1);
    assertThatThrownBy(() -> ClusterMapEditor.startReplicaMove(map, start("n4", "n9")))
        .isInstanceOf(MetaRejectedException.class).hasMessageContaining("holds no replica of shard 0");
    assertThatThrownBy(() -> ClusterMapEditor.startReplicaMove(map, start(replica, "n9")))
        .hasMessageContaining("'n9' is not a node");
    assertThatThrownBy(() -> ClusterMapEditor.startReplicaMove(map, start(replica, map.getShards(0).getReplicas(2))))
        .hasMessageContaining("already holds a replica");
    assertThatThrownBy(() -> ClusterMapEditor.startReplicaMove(map, StartReplicaMove.newBuilder().setShardId(7)
        .setFromNodeId(replica).setToNodeId("n4").build())).hasMessageContaining("shard 7 does not exist");
    ClusterMap started = ClusterMapEditor.startReplicaMove(map, start(replica, "n4"));
    String other = map.getShards(0).getReplicas(2);
    assertThatThrownBy(() -> ClusterMapEditor.startReplicaMove(started, start(other, "n4")))
        .hasMessageContaining("already moves a replica");
    assertThatThrownBy(() -> ClusterMapEditor.finishReplicaMove(started, finish(other, "n4")))
        .hasMessageContaining("not from " + other);
    assertThatThrownBy(() -> ClusterMapEditor.finishReplicaMove(map, finish(replica, "n4")))
        .hasMessageContaining("no replica move in flight");
  }
}
