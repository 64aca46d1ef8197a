package ringkv.server.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.ShardInfo;

class MigrationsViewTest {
  private static PartitionMove move(int partition, int from, int to, PartitionMoveState state) {
    return PartitionMove.newBuilder()
        .setPartition(partition)
        .setFromShard(from)
        .setToShard(to)
        .setMoveEpoch(9)
        .setState(state)
        .build();
  }

  private static final ClusterMap REMOVING =
      ClusterMap.newBuilder()
          .setEpoch(10)
          .addShards(ShardInfo.newBuilder().setId(0))
          .addShards(ShardInfo.newBuilder().setId(1))
          .addShards(ShardInfo.newBuilder().setId(2).setRemoving(true))
          .addAllPartitionMoves(
              List.of(
                  move(5, 2, 1, PartitionMoveState.DROPPING),
                  move(8, 2, 0, PartitionMoveState.COPYING),
                  move(11, 2, 0, PartitionMoveState.COPYING)))
          .build();

  @Test
  void resharding_noMovesNoRemovingShard_null() {
    assertThat(MigrationsView.resharding(ClusterMap.newBuilder().addShards(ShardInfo.newBuilder()).build()))
        .isNull();
    assertThat(MigrationsView.migrations(ClusterMap.getDefaultInstance())).isEmpty();
  }

  @Test
  void resharding_shardRemoving_movesLeftPerStateAndShard() {
    assertThat(Json.write(MigrationsView.resharding(REMOVING)))
        .isEqualTo("{\"movesLeft\":3,\"copying\":2,\"dropping\":1,\"moveEpoch\":9,"
            + "\"toShards\":[{\"shard\":0,\"moves\":2},{\"shard\":1,\"moves\":1}],"
            + "\"fromShards\":[{\"shard\":2,\"moves\":3}],\"removing\":[2]}");
    assertThat(MigrationsView.movesOf(REMOVING, 0, true)).isEqualTo(2);
    assertThat(MigrationsView.movesOf(REMOVING, 2, false)).isEqualTo(3);
    assertThat(MigrationsView.movesOf(REMOVING, 2, true)).isZero();
  }

  @Test
  void resharding_removingShardWithNoMovesLeft_stillShown() {
    ClusterMap done = REMOVING.toBuilder().clearPartitionMoves().build();
    assertThat(Json.write(MigrationsView.resharding(done)))
        .isEqualTo("{\"movesLeft\":0,\"copying\":0,\"dropping\":0,\"moveEpoch\":0,"
            + "\"toShards\":[],\"fromShards\":[],\"removing\":[2]}");
  }

  @Test
  void migrations_onePerMove() {
    assertThat(Json.write(MigrationsView.migrations(REMOVING)))
        .startsWith("[{\"partition\":5,\"fromShard\":2,\"toShard\":1,\"state\":\"DROPPING\",\"moveEpoch\":9},");
  }
}
