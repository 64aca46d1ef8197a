package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of {@link BoundedLoadAssigner} over seeded random shard sets (1..64 shards, sparse
 * ids), P in {64, 256, 1024, 4096}, and random add/remove sequences (see {@link RandomCases}).
 *
 * <p>"S" below is always the shard count <em>after</em> the change. The move bound checked for an
 * add is {@code floor(P / S) <= moved <= cap(S)}, and {@code moved <= 1.1 * P / S} whenever {@code
 * P / S >= 16}; below that the cap can force an extra partition or two, which is more than 10% of a
 * single-digit share. A remove moves exactly the removed shard's load.
 */
class BoundedLoadAssignerPropertiesTest {

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void initial_anyShardSet_staysWithinFloorAndCapAndIsReady(long seed) {
    var random = new Random(seed);
    int partitions = RandomCases.partitionCount(random);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    var assigner = new BoundedLoadAssigner(BoundedLoadAssigner.Config.of(partitions));

    PartitionTable table = assigner.initial(shards);

    assertThat(table.shards()).isEqualTo(new TreeSet<>(shards));
    assertBalanced(assigner, table);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void initial_sameInputs_sameTable(long seed) {
    var random = new Random(seed);
    int partitions = RandomCases.partitionCount(random);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    var config = BoundedLoadAssigner.Config.of(partitions);
    List<ShardId> reversed = new ArrayList<>(shards);
    Collections.reverse(reversed);

    PartitionTable first = new BoundedLoadAssigner(config).initial(shards);
    PartitionTable second =
        new BoundedLoadAssigner(config).initial(Set.copyOf(reversed)); // other iteration order

    assertThat(second).isEqualTo(first);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void changes_randomSequence_keepBoundsAndMoveOnlyWhatMust(long seed) {
    var random = new Random(seed);
    int partitions = RandomCases.partitionCount(random);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    List<Integer> ops = ops(random, 8);
    var assigner = new BoundedLoadAssigner(BoundedLoadAssigner.Config.of(partitions));
    PartitionTable table = assigner.initial(shards);
    for (int op : ops) {
      Reassignment result = applyOp(assigner, table, op);
      if (result == null) {
        continue;
      }
      PartitionTable next = result.table();
      AssignmentChange change = result.change();
      int shardCount = next.shardCount();

      assertThat(next.epoch()).isEqualTo(table.epoch() + 1);
      assertBalanced(assigner, next);
      assertThat(change.movesBetweenUnchangedShards()).isZero();
      assertThat(change.cap()).isEqualTo(assigner.config().cap(shardCount));
      assertThat(change.floor()).isEqualTo(assigner.config().floor(shardCount));
      for (int p = 0; p < partitions; p++) {
        ShardId before = table.shardOf(p);
        ShardId after = next.shardOf(p);
        if (!before.equals(after)) {
          // the only moves are onto the added shard or off the removed one
          assertThat(change.kind() == AssignmentChange.Kind.ADDED ? after : before)
              .isEqualTo(change.shard());
        }
      }
      if (change.kind() == AssignmentChange.Kind.ADDED) {
        assertThat(change.moved())
            .isEqualTo(next.loadOf(change.shard()))
            .isBetween(partitions / shardCount, assigner.config().cap(shardCount));
        if (partitions / shardCount >= 16) {
          assertThat((double) change.moved()).isLessThanOrEqualTo(1.1 * partitions / shardCount);
        }
      } else {
        assertThat(change.moved()).isEqualTo(table.loadOf(change.shard()));
        assertThat(change.movedOverIdeal()).isEqualTo(1.0);
      }
      table = next;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void changes_sameSequence_sameTables(long seed) {
    var random = new Random(seed);
    int partitions = RandomCases.partitionCount(random);
    Set<ShardId> shards = RandomCases.shardSet(random, 64);
    List<Integer> ops = ops(random, 6);
    var config = BoundedLoadAssigner.Config.of(partitions);
    assertThat(replay(new BoundedLoadAssigner(config), shards, ops))
        .isEqualTo(replay(new BoundedLoadAssigner(config), shards, ops));
  }

  /** Even op: add a new shard (id from the op); odd op: remove one of the shards. */
  private static Reassignment applyOp(BoundedLoadAssigner assigner, PartitionTable table, int op) {
    int shardCount = table.shardCount();
    boolean add = op % 2 == 0 || shardCount == 1;
    if (add) {
      if (shardCount >= Math.min(64, table.partitionCount())) {
        return null;
      }
      ShardId fresh = ShardId.of(20_000 + op / 2);
      while (table.hasShard(fresh)) {
        fresh = ShardId.of(fresh.value() + 1);
      }
      return assigner.addShard(table, fresh);
    }
    List<ShardId> present = List.copyOf(table.shards());
    return assigner.removeShard(table, present.get((op / 2) % present.size()));
  }

  private static List<PartitionTable> replay(
      BoundedLoadAssigner assigner, Set<ShardId> shards, List<Integer> ops) {
    List<PartitionTable> tables = new ArrayList<>();
    PartitionTable table = assigner.initial(shards);
    tables.add(table);
    for (int op : ops) {
      Reassignment result = applyOp(assigner, table, op);
      if (result != null) {
        table = result.table();
        tables.add(table);
      }
    }
    return tables;
  }

  /** Cap, floor and both look-ahead rules of the assigner's class notes. */
  static void assertBalanced(BoundedLoadAssigner assigner, PartitionTable table) {
    int shardCount = table.shardCount();
    var config = assigner.config();
    assertThat(table.loads().values())
        .as(
            "loads with S=%d, floor %d, cap %d",
            shardCount, config.floor(shardCount), config.cap(shardCount))
        .allSatisfy(
            load -> assertThat(load).isBetween(config.floor(shardCount), config.cap(shardCount)));
    int[] loads = table.loads().values().stream().mapToInt(Integer::intValue).toArray();
    assertThat(Headroom.of(config, shardCount, loads).isReady()).as("headroom").isTrue();
    assertThat(Footroom.of(config, shardCount, loads).isReady()).as("footroom").isTrue();
  }

  /** {@code 1..max} ops; see {@link #applyOp}. */
  private static List<Integer> ops(Random random, int max) {
    List<Integer> ops = new ArrayList<>();
    int count = 1 + random.nextInt(max);
    for (int i = 0; i < count; i++) {
      ops.add(random.nextInt(1_000_001));
    }
    return ops;
  }

  static Stream<Long> seeds() {
    return RandomCases.seeds(40);
  }
}
