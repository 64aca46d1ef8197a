package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BoundedLoadAssignerTest {
  private static final BoundedLoadAssigner ASSIGNER = BoundedLoadAssigner.withDefaults();

  @Test
  void config_defaults_areDocumentedValues() {
    var config = BoundedLoadAssigner.Config.defaults();

    assertThat(config.partitionCount()).isEqualTo(1024);
    assertThat(config.virtualPointsPerShard()).isEqualTo(128);
    assertThat(config.eps()).isEqualTo(0.25);
    assertThat(config.cap(3)).isEqualTo(427); // ceil(1.25 * 1024 / 3) = ceil(426.67)
    assertThat(config.floor(3)).isEqualTo(256); // floor(0.75 * 1024 / 3) = floor(256.0)
    assertThat(config.cap(4)).isEqualTo(320);
    assertThat(config.floor(10)).isEqualTo(76);
    assertThat(BoundedLoadAssigner.Config.of(64).floor(64)).isEqualTo(1); // never below one
  }

  @Test
  void config_outOfRange_namesTheField() {
    assertThatThrownBy(() -> new BoundedLoadAssigner.Config(0, 128, 0.25))
        .hasMessageContaining("partitionCount");
    assertThatThrownBy(() -> new BoundedLoadAssigner.Config(1024, 0, 0.25))
        .hasMessageContaining("virtualPointsPerShard");
    assertThatThrownBy(() -> new BoundedLoadAssigner.Config(1024, 128, 0))
        .hasMessageContaining("eps");
    assertThatThrownBy(() -> new BoundedLoadAssigner.Config(1024, 128, Double.NaN))
        .hasMessageContaining("eps");
    assertThatThrownBy(() -> BoundedLoadAssigner.Config.defaults().cap(0))
        .hasMessageContaining("shardCount");
  }

  @Test
  void initial_threeShards_isBoundedAtEpochOne() {
    PartitionTable table = ASSIGNER.initial(shards(0, 1, 2));

    assertThat(table.epoch()).isEqualTo(BoundedLoadAssigner.INITIAL_EPOCH);
    assertThat(table.shards()).containsExactlyElementsOf(shards(0, 1, 2));
    assertThat(table.loads().values()).allSatisfy(load -> assertThat(load).isBetween(256, 427));
    assertThat(ASSIGNER.initial(shards(0, 1, 2), 9)).isEqualTo(table.withEpoch(9));
  }

  @Test
  void initial_badShardSets_throw() {
    assertThatThrownBy(() -> ASSIGNER.initial(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    var small = new BoundedLoadAssigner(BoundedLoadAssigner.Config.of(2));
    assertThatThrownBy(() -> small.initial(shards(0, 1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard count 3 exceeds the partition count 2");
  }

  @Test
  void addShard_toThree_movesQuarterOnlyToNewShard() {
    PartitionTable before = ASSIGNER.initial(shards(0, 1, 2));

    Reassignment result = ASSIGNER.addShard(before, ShardId.of(3));

    AssignmentChange change = result.change();
    assertThat(result.table().epoch()).isEqualTo(before.epoch() + 1);
    assertThat(change.kind()).isEqualTo(AssignmentChange.Kind.ADDED);
    assertThat(change.shardsBefore()).isEqualTo(3);
    assertThat(change.shardsAfter()).isEqualTo(4);
    assertThat(change.moved()).isEqualTo(256);
    assertThat(change.idealMoves()).isEqualTo(256.0);
    assertThat(change.movedOverIdeal()).isEqualTo(1.0);
    assertThat(change.movesBetweenUnchangedShards()).isZero();
    assertThat(change.maxLoad()).isLessThanOrEqualTo(change.cap()).isLessThanOrEqualTo(320);
    assertThat(change.minLoad()).isGreaterThanOrEqualTo(change.floor());
    assertThat(result.table().loadOf(ShardId.of(3))).isEqualTo(256);
  }

  @Test
  void removeShard_fromFour_movesOnlyItsPartitions() {
    PartitionTable four =
        ASSIGNER.addShard(ASSIGNER.initial(shards(0, 1, 2)), ShardId.of(3)).table();
    int load = four.loadOf(ShardId.of(1));

    Reassignment result = ASSIGNER.removeShard(four, ShardId.of(1));

    assertThat(result.table().shards()).containsExactlyElementsOf(shards(0, 2, 3));
    assertThat(result.change().moved()).isEqualTo(load);
    assertThat(result.change().idealMoves()).isEqualTo(load);
    assertThat(result.change().movesBetweenUnchangedShards()).isZero();
    for (int p : four.partitionsOf(ShardId.of(0))) {
      assertThat(result.table().shardOf(p)).isEqualTo(ShardId.of(0));
    }
  }

  @Test
  void addShard_fromSingleShardTable_splitsInHalf() {
    PartitionTable single = PartitionTable.singleShard(1024, ShardId.of(5), 1);

    Reassignment result = ASSIGNER.addShard(single, ShardId.of(6));

    assertThat(result.table().loads().values()).containsExactly(512, 512);
    assertThat(result.table().epoch()).isEqualTo(2);
  }

  @Test
  void changes_badInput_throwNamingTheProblem() {
    PartitionTable table = ASSIGNER.initial(shards(0, 1));

    assertThatThrownBy(() -> ASSIGNER.addShard(table, ShardId.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard-1")
        .hasMessageContaining("already in the table");
    assertThatThrownBy(() -> ASSIGNER.removeShard(table, ShardId.of(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard-9")
        .hasMessageContaining("not in the table");
    PartitionTable single = PartitionTable.singleShard(1024, ShardId.of(0), 1);
    assertThatThrownBy(() -> ASSIGNER.removeShard(single, ShardId.of(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("last shard");
    assertThatThrownBy(
            () ->
                ASSIGNER.addShard(PartitionTable.singleShard(64, ShardId.of(0), 1), ShardId.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 partitions")
        .hasMessageContaining("1024");
    var two = new BoundedLoadAssigner(BoundedLoadAssigner.Config.of(2));
    assertThatThrownBy(() -> two.addShard(two.initial(shards(0, 1)), ShardId.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the partition count");
  }

  @Test
  void addShard_tableOverNewCap_isRejected() {
    // shard 0 holds 1000 of 1024: with 3 shards the cap is 427, and 573 above it is too much
    var owners = new java.util.ArrayList<ShardId>();
    for (int p = 0; p < 1024; p++) {
      owners.add(ShardId.of(p < 1000 ? 0 : 1));
    }

    assertThatThrownBy(() -> ASSIGNER.addShard(PartitionTable.of(1, owners), ShardId.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above the new cap 427");
  }

  @Test
  void initial_fromScratchAfterIncrementalAdds_movesBetweenUnchangedShards() {
    // a table that has been changed incrementally is no longer what initial() would compute
    PartitionTable before =
        ASSIGNER.addShard(ASSIGNER.initial(shards(0, 1, 2)), ShardId.of(3)).table();
    PartitionTable scratch = ASSIGNER.initial(shards(0, 1, 2, 3, 4));
    AssignmentChange incremental = ASSIGNER.addShard(before, ShardId.of(4)).change();

    AssignmentChange change =
        AssignmentChange.between(
            AssignmentChange.Kind.ADDED,
            ShardId.of(4),
            before,
            scratch,
            ASSIGNER.config().floor(5),
            ASSIGNER.config().cap(5));

    assertThat(incremental.movesBetweenUnchangedShards()).isZero();
    assertThat(change.movesBetweenUnchangedShards()).isPositive();
    assertThat(change.moved()).isGreaterThan(incremental.moved());
  }

  private static Set<ShardId> shards(int... ids) {
    Set<ShardId> set = new TreeSet<>();
    for (int id : ids) {
      set.add(ShardId.of(id));
    }
    return set;
  }
}
