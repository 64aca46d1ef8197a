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
 * Online resharding under the recorded workload, with kills in the middle of copies: the
 * {@code reshard} scenario on 3 nodes starting with 4 shards grows to 5 shards and shrinks to 2
 * (four reshards in about 70 s), killing (kill -9) the moves' source leader, target leader or the
 * meta leader in turn once the first partitions moved (the fourth kills nobody). The history must be linearizable, every final read must
 * succeed (no acknowledged write lost), every shard's replicas must converge, and every reshard
 * must have finished.
 */
class ReshardChaosIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void from4GrowTo5ShrinkTo2_withKillsMidCopy_historyLinearizable_nothingLost_replicasConverge() throws Exception {
    Scenario reshard = Scenarios.catalogue(4, 3).get("reshard");
    long seed = Long.getLong("chaos.seed", 20261122L);
    ScenarioResult result;
    ClusterMap last;
    try (ChaosCluster cluster = ChaosCluster.builder(root.resolve("cluster"))
        .shape(b -> b.nodes(3).shards(4).partitions(64)).start()) {
      result = new ChaosRun(cluster, new ChaosRun.Settings(Duration.ofSeconds(Long.getLong("chaos.reshard.seconds", 70)),
          seed, root.resolve("results"), 6, 24, Duration.ofSeconds(20)), System.out).run(reshard, seed);
      last = cluster.clusterMap(0);
    }
    assertThat(result.passed()).as(result.text()).isTrue();
    assertThat(last.getPartitionMovesList()).isEmpty();
    List<String> outcomes = result.faults().stream().map(f -> f.window().outcome()).toList();
    List<String> descriptions = result.faults().stream().map(f -> f.window().description()).toList();
    assertThat(outcomes).as("the shard sets after each reshard").anyMatch(o -> o.matches("shards now \\[(\\d+, ){4}\\d+]"))
        .anyMatch(o -> o.matches("shards now \\[\\d+, \\d+]"));
    assertThat(descriptions).as("a kill of each kind").anyMatch(d -> d.contains("SOURCE_LEADER"))
        .anyMatch(d -> d.contains("TARGET_LEADER")).anyMatch(d -> d.contains("META_LEADER"));
  }
}
