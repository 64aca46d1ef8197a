package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;

class PartitionMoveSummaryTest {
  private static PartitionMove move(int partition, int from, int to, PartitionMoveState state) {
    return PartitionMove.newBuilder()
        .setPartition(partition)
        .setFromShard(from)
        .setToShard(to)
        .setMoveEpoch(5)
        .setState(state)
        .build();
  }

  private static PartitionMoveSummary of(PartitionMove... moves) {
    return PartitionMoveSummary.of(ClusterMap.newBuilder().addAllPartitionMoves(List.of(moves)).build());
  }

  @Test
  void of_noMoves_empty() {
    PartitionMoveSummary summary = of();
    assertThat(summary.isEmpty()).isTrue();
    assertThat(summary.direction()).isEmpty();
    JsonObject report = new JsonObject().field("epoch", 1);
    assertThat(summary.addTo(report).toString()).isEqualTo("{\"epoch\":1}");
  }

  @Test
  void line_oneMove_singular() {
    assertThat(of(move(7, 0, 1, PartitionMoveState.COPYING)).line())
        .isEqualTo("resharding: 1 partition move left (copying 1, dropping 0): shard 1 <- shard 0");
  }

  @Test
  void direction_severalTargetsAndSources_perTargetWithItsOwnSources() {
    PartitionMoveSummary summary =
        of(
            move(1, 0, 3, PartitionMoveState.COPYING),
            move(2, 1, 3, PartitionMoveState.DROPPING),
            move(3, 2, 4, PartitionMoveState.COPYING),
            move(4, 0, 3, PartitionMoveState.PARTITION_MOVE_STATE_UNSPECIFIED));
    assertThat(summary.direction()).isEqualTo("shard 3 <- shards 0,1; shard 4 <- shard 2");
    // a move in neither known state counts only in the total
    assertThat(summary.line())
        .startsWith("resharding: 4 partition moves left (copying 2, dropping 1): ");
    assertThat(summary.json().toString())
        .isEqualTo("{\"count\":4,\"copying\":2,\"dropping\":1,"
            + "\"to_shards\":[{\"shard\":3,\"moves\":3},{\"shard\":4,\"moves\":1}],"
            + "\"from_shards\":[{\"shard\":0,\"moves\":2},{\"shard\":1,\"moves\":1},{\"shard\":2,\"moves\":1}]}");
  }

  @Test
  void direction_oneSourceSeveralTargets_outward() {
    assertThat(
            of(move(1, 2, 0, PartitionMoveState.COPYING), move(2, 2, 1, PartitionMoveState.COPYING))
                .direction())
        .isEqualTo("shard 2 -> shards 0,1");
  }
}
