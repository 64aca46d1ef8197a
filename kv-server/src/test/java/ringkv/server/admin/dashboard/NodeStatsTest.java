package ringkv.server.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ringkv.server.NodeMetrics;

class NodeStatsTest {
  @Test
  void dataMemory_ofTheNodesGauges_heldAndLimit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    assertThat(NodeStats.DataMemory.of(registry)).isNull();

    Gauge.builder(NodeMetrics.DATA_MEMORY_BYTES, () -> 3_000_000).register(registry);
    Gauge.builder(NodeMetrics.DATA_MEMORY_LIMIT_BYTES, () -> 644_245_094).register(registry);
    assertThat(NodeStats.DataMemory.of(registry)).isEqualTo(new NodeStats.DataMemory(3_000_000, 644_245_094));
  }

  @Test
  void json_roundTrip_withDataMemory() {
    NodeStats stats = new NodeStats("n2", 1.5, false, 120.0, 0.5, 8.0,
        List.of(new NodeStats.ShardStats(1, "LEADER", 60.0, 60.0, 7.5, null)), new MoveStats(0, 0, 0, null, null, null),
        new NodeStats.DataMemory(3_000_000, 644_245_094));
    assertThat(NodeStats.fromJson(Json.parse(Json.write(stats.toJson())))).isEqualTo(stats);
  }

  @Test
  void fromJson_anOlderPeerWithoutDataMemory_null() {
    Map<String, Object> json = new NodeStats("n2", 1.5, false, 120.0, 0.5, null, List.of(), MoveStats.NONE,
        new NodeStats.DataMemory(1, 2)).toJson();
    json.remove("dataMemory");
    assertThat(NodeStats.fromJson(Json.parse(Json.write(json))).dataMemory()).isNull();
  }
}
