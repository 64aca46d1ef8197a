package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints the measurements quoted in {@code docs/partitioning.md} (to this test's surefire output
 * file) and checks the claims made there. Run it with:
 *
 * <pre>
 * ./mvnw -q -B -pl kv-router -am test -Dtest=AssignmentReportTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * cat kv-router/target/surefire-reports/ringkv.router.AssignmentReportTest-output.txt
 * </pre>
 *
 * <p>Add {@code -Dringkv.router.simulate=true} for the slower random-sequence statistics (about 30
 * s).
 */
class AssignmentReportTest {
  private static final BoundedLoadAssigner ASSIGNER = BoundedLoadAssigner.withDefaults();

  @Test
  void growThreeToTenAndBack_printsEachChange() {
    List<String> lines = new ArrayList<>();
    lines.add("P=1024, V=128, eps=0.25; shards 0,1,2, then add 3..9, then remove 9..3");
    lines.add("");
    lines.add(
        "| change | S | max | avg | floor | cap | moved | ideal | moved/ideal | unchanged-shard"
            + " moves | from scratch: moved | from scratch: unchanged-shard moves |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
    PartitionTable table = ASSIGNER.initial(ids(0, 1, 2));
    List<Reassignment> steps = new ArrayList<>();
    for (int id = 3; id <= 9; id++) {
      steps.add(ASSIGNER.addShard(table, ShardId.of(id)));
      table = steps.get(steps.size() - 1).table();
    }
    for (int id = 9; id >= 3; id--) {
      steps.add(ASSIGNER.removeShard(table, ShardId.of(id)));
      table = steps.get(steps.size() - 1).table();
    }
    PartitionTable before = ASSIGNER.initial(ids(0, 1, 2));
    int totalMoved = 0;
    int totalScratchWaste = 0;
    int totalScratchMoved = 0;
    for (Reassignment step : steps) {
      AssignmentChange c = step.change();
      PartitionTable scratch = ASSIGNER.initial(step.table().shards(), step.table().epoch());
      AssignmentChange fromScratch =
          AssignmentChange.between(c.kind(), c.shard(), before, scratch, c.floor(), c.cap());
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s %s | %d→%d | %d | %.1f | %d | %d | %d | %.1f | %.3f | %d | %d | %d |",
              c.kind() == AssignmentChange.Kind.ADDED ? "add" : "remove",
              c.shard(),
              c.shardsBefore(),
              c.shardsAfter(),
              c.maxLoad(),
              c.averageLoad(),
              c.floor(),
              c.cap(),
              c.moved(),
              c.idealMoves(),
              c.movedOverIdeal(),
              c.movesBetweenUnchangedShards(),
              fromScratch.moved(),
              fromScratch.movesBetweenUnchangedShards()));
      assertThat(c.movesBetweenUnchangedShards()).isZero();
      assertThat(c.maxLoad()).isLessThanOrEqualTo(c.cap());
      assertThat(c.minLoad()).isGreaterThanOrEqualTo(c.floor());
      assertThat(c.movedOverIdeal()).isLessThanOrEqualTo(1.1);
      totalMoved += c.moved();
      totalScratchMoved += fromScratch.moved();
      totalScratchWaste += fromScratch.movesBetweenUnchangedShards();
      before = step.table();
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "| total | | | | | | %d | | | 0 | %d | %d |",
            totalMoved,
            totalScratchMoved,
            totalScratchWaste));
    lines.add("");
    PartitionTable first = ASSIGNER.initial(ids(0, 1, 2));
    lines.add(
        "back at 3 shards: loads "
            + table.loads()
            + "; the first table's loads "
            + first.loads()
            + "; same owner for every partition: "
            + table.owners().equals(first.owners()));
    System.out.println(String.join("\n", lines));
  }

  @Test
  void virtualPoints_printsOverflowAndArcSpread() {
    List<String> lines = new ArrayList<>();
    lines.add("P=1024, eps=0.25; mean over 20 shard sets per cell (ids k*1000+0..S-1)");
    lines.add(
        "cell: % of partitions not on their ring successor in initial()"
            + " / largest plain consistent-hashing load as a multiple of P/S");
    lines.add("");
    lines.add("| V | S=3 | S=8 | S=16 | S=32 | S=64 |");
    lines.add("|---|---|---|---|---|---|");
    for (int v : new int[] {16, 32, 64, 128, 256}) {
      var assigner =
          new BoundedLoadAssigner(
              BoundedLoadAssigner.Config.defaults().withVirtualPointsPerShard(v));
      StringBuilder row = new StringBuilder("| " + v + " |");
      for (int shardCount : new int[] {3, 8, 16, 32, 64}) {
        double overflow = 0;
        double spread = 0;
        for (int trial = 0; trial < 20; trial++) {
          Set<ShardId> shards = new TreeSet<>();
          for (int i = 0; i < shardCount; i++) {
            shards.add(ShardId.of(trial * 1000 + i));
          }
          PartitionTable table = assigner.initial(shards);
          List<ShardId> sorted = List.copyOf(table.shards());
          HashRing ring = HashRing.of(sorted, v);
          int[] plain = new int[shardCount];
          int displaced = 0;
          for (int p = 0; p < 1024; p++) {
            int successor = ring.successorShard(HashRing.partitionPosition(p));
            plain[successor]++;
            if (!sorted.get(successor).equals(table.shardOf(p))) {
              displaced++;
            }
          }
          overflow += displaced / 1024.0;
          spread += java.util.Arrays.stream(plain).max().getAsInt() / (1024.0 / shardCount);
        }
        row.append(
            String.format(Locale.ROOT, " %.1f%% / %.2f |", 100 * overflow / 20, spread / 20));
      }
      lines.add(row.toString());
    }
    System.out.println(String.join("\n", lines));
  }

  @Test
  @EnabledIfSystemProperty(named = "ringkv.router.simulate", matches = "true")
  void randomSequences_printMoveRatioStatistics() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "200 random sequences of 20 changes per P (initial 1..64 shards, ids < 1000),"
            + " seed 42 + P");
    lines.add("");
    lines.add(
        "| P | adds | removes | adds with moved/ideal > 1.1 | largest P/S of those"
            + " | worst moved/ideal | cap or floor violations | unchanged-shard moves |");
    lines.add("|---|---|---|---|---|---|---|---|");
    for (int partitions : RandomCases.PARTITION_COUNTS) {
      var assigner = new BoundedLoadAssigner(BoundedLoadAssigner.Config.of(partitions));
      var random = new Random(42 + partitions);
      int adds = 0;
      int removes = 0;
      int over = 0;
      int violations = 0;
      int wasted = 0;
      double worst = 0;
      double largestShareOver = 0;
      int maxShards = Math.min(64, partitions);
      for (int sequence = 0; sequence < 200; sequence++) {
        Set<ShardId> shards = new TreeSet<>();
        int size = 1 + random.nextInt(maxShards);
        while (shards.size() < size) {
          shards.add(ShardId.of(random.nextInt(1000)));
        }
        PartitionTable table = assigner.initial(shards);
        for (int step = 0; step < 20; step++) {
          int shardCount = table.shardCount();
          Reassignment result;
          if (shardCount == 1 || (shardCount < maxShards && random.nextBoolean())) {
            ShardId fresh;
            do {
              fresh = ShardId.of(random.nextInt(1000));
            } while (table.hasShard(fresh));
            result = assigner.addShard(table, fresh);
            AssignmentChange change = result.change();
            adds++;
            worst = Math.max(worst, change.movedOverIdeal());
            if (change.movedOverIdeal() > 1.1) {
              over++;
              largestShareOver = Math.max(largestShareOver, change.averageLoad());
            }
          } else {
            List<ShardId> present = List.copyOf(table.shards());
            result = assigner.removeShard(table, present.get(random.nextInt(present.size())));
            removes++;
          }
          wasted += result.change().movesBetweenUnchangedShards();
          table = result.table();
          int after = table.shardCount();
          for (int load : table.loads().values()) {
            if (load > assigner.config().cap(after) || load < assigner.config().floor(after)) {
              violations++;
            }
          }
        }
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %d | %.2f | %.3f | %d | %d |",
              partitions,
              adds,
              removes,
              over,
              largestShareOver,
              worst,
              violations,
              wasted));
      assertThat(violations).isZero();
      assertThat(wasted).isZero();
    }
    System.out.println(String.join("\n", lines));
  }

  private static Set<ShardId> ids(int... values) {
    Set<ShardId> set = new TreeSet<>();
    for (int value : values) {
      set.add(ShardId.of(value));
    }
    return set;
  }
}
