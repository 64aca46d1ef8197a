package ringkv.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.ClusterMap;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * Nodes removed and added under the recorded workload: the {@code node-change} scenario on 4 nodes
 * removes a node (its replicas move to the others), starts it again so that it joins as a new
 * node, and rebalances replicas onto it. The history must be linearizable, every final read must
 * succeed, the replicas must converge, and the map must list all four nodes with replicas spread.
 */
class NodeChangeChaosIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void removeAndAddNodes_historyLinearizable_nothingLost_replicasConverge() throws Exception {
    Scenario nodeChange = Scenarios.catalogue(3, 4).get("node-change");
    long seed = Long.getLong("chaos.seed", 20261122L);
    ScenarioResult result;
    ClusterMap last;
    try (ChaosCluster cluster = ChaosCluster.builder(root.resolve("cluster"))
        .shape(b -> b.nodes(4).shards(3).partitions(64)).start()) {
      result = new ChaosRun(cluster, new ChaosRun.Settings(Duration.ofSeconds(Long.getLong("chaos.seconds", 25)),
          seed, root.resolve("results"), 6, 16, Duration.ofSeconds(20)), System.out).run(nodeChange, seed);
      last = cluster.clusterMap(0);
    }
    assertThat(result.passed()).as(result.text()).isTrue();
    assertThat(result.faults()).isNotEmpty();
    assertThat(last.getNodesCount()).isEqualTo(4);
    assertThat(last.getShardsList()).allSatisfy(s -> {
      assertThat(s.hasMove()).isFalse();
      assertThat(s.getReplicasList()).hasSize(3).doesNotHaveDuplicates();
    });
  }
}
