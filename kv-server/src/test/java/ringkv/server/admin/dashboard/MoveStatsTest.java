package ringkv.server.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.server.groups.PartitionMoveMetrics;

class MoveStatsTest {
  @Test
  void of_noMetersRegistered_none() {
    assertThat(MoveStats.of(new SimpleMeterRegistry())).isEqualTo(MoveStats.NONE);
  }

  @Test
  void of_theMetersPartitionMoveMetricsRegisters_countsAndFrozenTimes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PartitionMoveMetrics(registry);
    assertThat(MoveStats.of(registry)).isEqualTo(MoveStats.NONE);

    registry.find("ringkv.partition.moves").counter().increment(3);
    registry.find("ringkv.partition.move.bytes").counter().increment(2048);
    registry.find("ringkv.partition.frozen").timer().record(Duration.ofMillis(10));
    registry.find("ringkv.partition.frozen").timer().record(Duration.ofMillis(20));
    MoveStats stats = MoveStats.of(registry);
    assertThat(stats.moves()).isEqualTo(3);
    assertThat(stats.bytes()).isEqualTo(2048);
    assertThat(stats.frozen()).isEqualTo(2);
    assertThat(stats.frozenP50Ms()).isNotNull();
    assertThat(stats.frozenP99Ms()).isNotNull();
    assertThat(stats.frozenMaxMs()).isEqualTo(20.0);
  }

  @Test
  void json_roundTrip_andAbsentFromAnOlderPeer_none() {
    MoveStats stats = new MoveStats(3, 2048, 2, 10.0, 20.0, 20.0);
    assertThat(MoveStats.fromJson(Json.parse(Json.write(stats.toJson())))).isEqualTo(stats);
    assertThat(MoveStats.fromJson(null)).isEqualTo(MoveStats.NONE);
  }

  @Test
  void sum_countsAdded_frozenTimesOfTheNodeThatRecordedMost() {
    MoveStats formerLeader = new MoveStats(2, 100, 2, 5.0, 9.0, 9.0);
    MoveStats leader = new MoveStats(6, 300, 6, 7.0, 30.0, 31.0);
    assertThat(MoveStats.sum(List.of(formerLeader, MoveStats.NONE, leader)))
        .isEqualTo(new MoveStats(8, 400, 8, 7.0, 30.0, 31.0));
  }
}
