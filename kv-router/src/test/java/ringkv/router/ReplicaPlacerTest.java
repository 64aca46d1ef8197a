package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplicaPlacerTest {
  private static final Set<NodeId> FIVE_NODES = nodes("n1", "n2", "n3", "n4", "n5");

  @Test
  void initial_tenShardsFiveNodesThreeReplicas_isEvenAndDistinct() {
    ReplicaPlacement placement = ReplicaPlacer.initial(shards(10), FIVE_NODES, 3);

    assertThat(placement.replicationFactor()).isEqualTo(3);
    assertThat(placement.replicaCounts().values()).containsOnly(6); // 30 replicas / 5 nodes
    assertThat(placement.leaderCounts().values()).containsOnly(2); // 10 leaders / 5 nodes
    placement.replicas().values().forEach(list -> assertThat(list).doesNotHaveDuplicates());
    assertThat(placement.preferredLeaderOf(ShardId.of(0)))
        .isEqualTo(placement.replicasOf(ShardId.of(0)).get(0));
    assertThat(placement.shardsOn(NodeId.of("n1"))).hasSize(6);
  }

  @Test
  void initial_replicationFactorAboveNodeCount_namesBoth() {
    assertThatThrownBy(() -> ReplicaPlacer.initial(shards(2), nodes("n1", "n2"), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R=3")
        .hasMessageContaining("node count 2");
    assertThatThrownBy(() -> ReplicaPlacer.initial(shards(2), nodes("n1"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicationFactor");
  }

  @Test
  void nodeAdded_sixthNode_takesItsShareAndSomeLeaders() {
    ReplicaPlacement before = ReplicaPlacer.initial(shards(10), FIVE_NODES, 3);

    PlacementChange change = ReplicaPlacer.nodeAdded(before, NodeId.of("n6"));

    assertThat(change.replicaMoves()).isEqualTo(5); // 30 / 6 replicas now live on n6
    assertThat(change.placement().replicaCounts().values()).containsOnly(5);
    assertThat(change.placement().leaderCounts().get(NodeId.of("n6"))).isBetween(1, 2);
    assertThat(change.leaderChanges()).isLessThanOrEqualTo(4);
  }

  @Test
  void nodeRemoved_movesOnlyItsReplicas() {
    ReplicaPlacement before = ReplicaPlacer.initial(shards(10), FIVE_NODES, 3);

    PlacementChange change = ReplicaPlacer.nodeRemoved(before, NodeId.of("n3"));

    assertThat(change.replicaMoves()).isEqualTo(6);
    assertThat(change.placement().nodes()).doesNotContain(NodeId.of("n3"));
    assertThat(change.placement().replicaCounts().values()).containsOnly(7, 8);
    for (ShardId shard : before.shards()) {
      List<NodeId> kept = new java.util.ArrayList<>(before.replicasOf(shard));
      kept.remove(NodeId.of("n3"));
      assertThat(change.placement().replicasOf(shard)).containsAll(kept);
    }
  }

  @Test
  void nodeChanges_badInput_throwNamingTheProblem() {
    ReplicaPlacement placement = ReplicaPlacer.initial(shards(4), nodes("n1", "n2", "n3"), 3);

    assertThatThrownBy(() -> ReplicaPlacer.nodeAdded(placement, NodeId.of("n2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n2")
        .hasMessageContaining("already");
    assertThatThrownBy(() -> ReplicaPlacer.nodeRemoved(placement, NodeId.of("n9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n9")
        .hasMessageContaining("not one of the nodes");
    assertThatThrownBy(() -> ReplicaPlacer.nodeRemoved(placement, NodeId.of("n1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R=3")
        .hasMessageContaining("only 2");
  }

  @Test
  void placement_invalidReplicaLists_areRejected() {
    Set<NodeId> nodes = nodes("n1", "n2", "n3");
    ShardId shard = ShardId.of(1);

    assertThatThrownBy(() -> ReplicaPlacement.of(2, nodes, Map.of(shard, nodeList("n1"))))
        .hasMessageContaining("must list 2 nodes");
    assertThatThrownBy(() -> ReplicaPlacement.of(2, nodes, Map.of(shard, nodeList("n1", "n1"))))
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> ReplicaPlacement.of(2, nodes, Map.of(shard, nodeList("n1", "n7"))))
        .hasMessageContaining("known nodes");
    assertThatThrownBy(() -> ReplicaPlacement.of(1, nodes, Map.of()).replicasOf(shard))
        .hasMessageContaining("not placed");
  }

  @Test
  void placement_isImmutableAndCountsEmptyNodes() {
    ReplicaPlacement placement = ReplicaPlacer.initial(shards(1), FIVE_NODES, 2);

    assertThat(placement.replicaCounts()).hasSize(5).containsValue(0);
    assertThatThrownBy(() -> placement.replicas().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> placement.nodes().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static Set<ShardId> shards(int count) {
    Set<ShardId> shards = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      shards.add(ShardId.of(i));
    }
    return shards;
  }

  private static Set<NodeId> nodes(String... ids) {
    Set<NodeId> nodes = new TreeSet<>();
    for (String id : ids) {
      nodes.add(NodeId.of(id));
    }
    return nodes;
  }

  private static List<NodeId> nodeList(String... ids) {
    return java.util.Arrays.stream(ids).map(NodeId::of).toList();
  }
}
