package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTableTest {
  private static final ShardId A = ShardId.of(1);
  private static final ShardId B = ShardId.of(7);

  @Test
  void accessors_smallTable_answerFromOwners() {
    var table = PartitionTable.of(3, List.of(B, A, B, B));

    assertThat(table.partitionCount()).isEqualTo(4);
    assertThat(table.shardOf(0)).isEqualTo(B);
    assertThat(table.partitionsOf(B)).containsExactly(0, 2, 3);
    assertThat(table.partitionsOf(ShardId.of(99))).isEmpty();
    assertThat(table.loads()).containsExactly(entry(A, 1), entry(B, 3));
    assertThat(table.loadOf(A)).isEqualTo(1);
    assertThat(table.shards()).containsExactly(A, B);
    assertThat(table.shardCount()).isEqualTo(2);
    assertThat(table.hasShard(A)).isTrue();
    assertThat(table.hasShard(ShardId.of(2))).isFalse();
  }

  @Test
  void constructor_mutableList_isCopiedAndUnmodifiable() {
    List<ShardId> owners = new ArrayList<>(List.of(A, B));
    var table = PartitionTable.of(1, owners);

    owners.set(0, B);

    assertThat(table.shardOf(0)).isEqualTo(A);
    assertThatThrownBy(() -> table.owners().set(0, B))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> table.partitionsOf(A).add(5))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> table.loads().put(A, 5))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void constructor_badFields_namesTheField() {
    assertThatThrownBy(() -> PartitionTable.of(-1, List.of(A)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch");
    assertThatThrownBy(() -> PartitionTable.of(1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("owners");
    assertThatThrownBy(() -> PartitionTable.singleShard(0, A, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitionCount");
  }

  @Test
  void shardOf_outOfRange_throwsNamingTheRange() {
    var table = PartitionTable.singleShard(8, A, 1);

    assertThatThrownBy(() -> table.shardOf(8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 8)");
    assertThatThrownBy(() -> table.shardOf(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void singleShard_andWithEpoch_keepOwners() {
    var table = PartitionTable.singleShard(16, A, 5);

    assertThat(table.loads()).containsExactly(entry(A, 16));
    assertThat(table.epoch()).isEqualTo(5);
    assertThat(table.withEpoch(6)).isEqualTo(PartitionTable.of(6, table.owners()));
    assertThat(table.toString()).contains("epoch=5").contains("shard-1=16");
  }

  private static java.util.Map.Entry<ShardId, Integer> entry(ShardId shard, int load) {
    return java.util.Map.entry(shard, load);
  }
}
