package ringkv.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.chaos.check.Verdict;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * Proof that the pipeline can fail: nodes started with the test-only switch that answers
 * "linearizable" reads from their own replica as it stands
 * ({@code -Dringkv.testing.unsafeLocalReads=true}). When a shard leader is cut off from the other
 * nodes, the clients that still reach it read values the majority has overwritten, and the
 * checker must say so.
 */
class BrokenBuildIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void unsafeLocalReads_leaderPartitions_checkerReportsViolation() throws Exception {
    int shards = 2;
    Scenario partitions = Scenarios.catalogue(shards).get("leader-partition");
    ScenarioResult result;
    try (ChaosCluster cluster = ChaosCluster.builder(root.resolve("cluster")).shape(b -> b.nodes(3).shards(shards))
        .serverJvmProperties(List.of("-Dringkv.testing.unsafeLocalReads=true")).start()) {
      result = new ChaosRun(cluster, new ChaosRun.Settings(Duration.ofSeconds(Long.getLong("chaos.broken.seconds", 30)),
          Long.getLong("chaos.seed", 20261122L), root.resolve("results"), 6, 4, Duration.ofSeconds(20)), System.out)
          .run(partitions, Long.getLong("chaos.seed", 20261122L));
    }
    assertThat(result.check().verdict()).as(result.text()).isEqualTo(Verdict.VIOLATION);
    assertThat(result.passed()).isFalse();
    assertThat(result.check().keysWith(Verdict.VIOLATION).get(0).counterexample()).isNotNull();
  }
}
