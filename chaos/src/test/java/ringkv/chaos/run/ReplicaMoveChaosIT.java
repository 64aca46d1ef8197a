package ringkv.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.ClusterMap;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * Replicas added and removed while faults run: on 4 nodes (so that every shard has a node
 * without a replica), the {@code replica-move} scenario moves replicas between nodes while
 * another node is cut off, under the recorded workload. The history must be linearizable, every
 * final read must succeed, the replicas must converge, and the map must show the moves.
 */
class ReplicaMoveChaosIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void replicaMovesUnderPartitions_historyLinearizable_replicasConverge_mapShowsTheMoves() throws Exception {
    int shards = 2;
    Scenario moves = Scenarios.catalogue(shards, 4).get("replica-move");
    ScenarioResult result;
    List<String> before;
    List<String> after;
    try (ChaosCluster cluster = ChaosCluster.builder(root.resolve("cluster")).shape(b -> b.nodes(4).shards(shards)).start()) {
      before = placement(cluster.clusterMap(0));
      result = new ChaosRun(cluster, new ChaosRun.Settings(Duration.ofSeconds(Long.getLong("chaos.seconds", 25)),
          Long.getLong("chaos.seed", 20261122L), root.resolve("results"), 6, 8, Duration.ofSeconds(20)), System.out)
          .run(moves, Long.getLong("chaos.seed", 20261122L));
      ClusterMap map = cluster.clusterMap(1);
      after = placement(map);
      assertThat(map.getShardsList()).allSatisfy(s -> {
        assertThat(s.hasMove()).isFalse();
        assertThat(s.getReplicasList()).hasSize(3).doesNotHaveDuplicates();
      });
    }
    assertThat(result.passed()).as(result.text()).isTrue();
    assertThat(result.faults()).isNotEmpty();
    assertThat(after).as("placement after the moves").isNotEqualTo(before);
  }

  /** "0=[n1, n2, n3]" per shard. */
  private static List<String> placement(ClusterMap map) {
    return map.getShardsList().stream().map(s -> s.getId() + "=" + s.getReplicasList()).toList();
  }
}
