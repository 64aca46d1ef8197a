package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of {@link ReplicaPlacer} over seeded random shard sets (1..64 shards), node sets
 * (1..16 nodes), replication factors (1..5, at most the node count) and random node add/remove
 * sequences: replicas of a shard are on distinct nodes, replica and preferred-leader counts per
 * node differ by at most one, changes move only the replicas they must, and the same inputs give
 * the same placement.
 */
class ReplicaPlacerPropertiesTest {

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void initial_anyCluster_isDistinctAndEven(long seed) {
    var random = new Random(seed);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    Set<NodeId> nodes = RandomCases.nodeSet(random, 1, 16);
    int factor = 1 + random.nextInt(Math.min(5, nodes.size()));

    ReplicaPlacement placement = ReplicaPlacer.initial(shards, nodes, factor);

    assertThat(placement.shards()).isEqualTo(new TreeSet<>(shards));
    assertDistinctAndEven(placement);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void initial_sameInputs_samePlacement(long seed) {
    var random = new Random(seed);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    Set<NodeId> nodes = RandomCases.nodeSet(random, 1, 16);
    int factor = 1 + random.nextInt(Math.min(5, nodes.size()));

    assertThat(ReplicaPlacer.initial(Set.copyOf(shards), Set.copyOf(nodes), factor))
        .isEqualTo(ReplicaPlacer.initial(shards, nodes, factor));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void nodeChanges_randomSequence_moveOnlyWhatMustAndStayEven(long seed) {
    var random = new Random(seed);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    Set<NodeId> nodes = RandomCases.nodeSet(random, 1, 12);
    int factor = 1 + random.nextInt(Math.min(3, nodes.size()));
    ReplicaPlacement placement = ReplicaPlacer.initial(shards, nodes, factor);
    List<ReplicaPlacement> history = new ArrayList<>(List.of(placement));
    int steps = 1 + random.nextInt(8);
    for (int i = 0; i < steps; i++) {
      boolean add = placement.nodes().size() <= factor || random.nextBoolean();
      PlacementChange change;
      if (add) {
        NodeId fresh = NodeId.of("x" + seed + "-" + i);
        change = ReplicaPlacer.nodeAdded(placement, fresh);
        assertOnlyMovedOnto(placement, change, fresh);
      } else {
        List<NodeId> present = List.copyOf(placement.nodes());
        NodeId gone = present.get(random.nextInt(present.size()));
        change = ReplicaPlacer.nodeRemoved(placement, gone);
        assertOnlyMovedOff(placement, change, gone);
      }
      assertDistinctAndEven(change.placement());
      placement = change.placement();
      history.add(placement);
    }
    assertThat(replay(seed)).isEqualTo(history);
  }

  /** The same sequence again, from the seed alone. */
  private static List<ReplicaPlacement> replay(long seed) {
    var random = new Random(seed);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    Set<NodeId> nodes = RandomCases.nodeSet(random, 1, 12);
    int factor = 1 + random.nextInt(Math.min(3, nodes.size()));
    ReplicaPlacement placement = ReplicaPlacer.initial(shards, nodes, factor);
    List<ReplicaPlacement> history = new ArrayList<>(List.of(placement));
    int steps = 1 + random.nextInt(8);
    for (int i = 0; i < steps; i++) {
      boolean add = placement.nodes().size() <= factor || random.nextBoolean();
      if (add) {
        placement = ReplicaPlacer.nodeAdded(placement, NodeId.of("x" + seed + "-" + i)).placement();
      } else {
        List<NodeId> present = List.copyOf(placement.nodes());
        placement =
            ReplicaPlacer.nodeRemoved(placement, present.get(random.nextInt(present.size())))
                .placement();
      }
      history.add(placement);
    }
    return history;
  }

  private static void assertOnlyMovedOnto(
      ReplicaPlacement before, PlacementChange change, NodeId fresh) {
    int created = 0;
    for (ShardId shard : before.shards()) {
      Set<NodeId> added = new HashSet<>(change.placement().replicasOf(shard));
      added.removeAll(before.replicasOf(shard));
      assertThat(added).isSubsetOf(Set.of(fresh));
      created += added.size();
    }
    assertThat(change.replicaMoves()).isEqualTo(created);
    assertThat(change.placement().nodes()).contains(fresh).hasSize(before.nodes().size() + 1);
  }

  private static void assertOnlyMovedOff(
      ReplicaPlacement before, PlacementChange change, NodeId gone) {
    for (ShardId shard : before.shards()) {
      Set<NodeId> kept = new HashSet<>(before.replicasOf(shard));
      kept.remove(gone);
      assertThat(change.placement().replicasOf(shard)).containsAll(kept);
    }
    assertThat(change.replicaMoves()).isEqualTo(before.replicaCounts().get(gone));
    assertThat(change.placement().nodes()).doesNotContain(gone);
  }

  static void assertDistinctAndEven(ReplicaPlacement placement) {
    for (List<NodeId> replicas : placement.replicas().values()) {
      assertThat(replicas).hasSize(placement.replicationFactor()).doesNotHaveDuplicates();
    }
    assertThat(spread(placement.replicaCounts().values()))
        .as("replica spread")
        .isLessThanOrEqualTo(1);
    assertThat(spread(placement.leaderCounts().values()))
        .as("leader spread")
        .isLessThanOrEqualTo(1);
  }

  private static int spread(Collection<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).max().orElse(0)
        - counts.stream().mapToInt(Integer::intValue).min().orElse(0);
  }

  static Stream<Long> seeds() {
    return RandomCases.seeds(60);
  }
}
