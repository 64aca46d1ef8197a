package ringkv.router;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded random inputs for the property tests: each case is a seed, shown in the test name, so a
 * failure reruns exactly. {@code -Dringkv.router.cases=N} runs N cases per property instead of the
 * defaults.
 */
final class RandomCases {
  static final List<Integer> PARTITION_COUNTS = List.of(64, 256, 1024, 4096);

  private RandomCases() {}

  /** Seeds {@code 0..n-1}, or {@code 0..N-1} when {@code ringkv.router.cases=N} is set. */
  static Stream<Long> seeds(int n) {
    return LongStream.range(0, Integer.getInteger("ringkv.router.cases", n)).boxed();
  }

  static int partitionCount(Random random) {
    return PARTITION_COUNTS.get(random.nextInt(PARTITION_COUNTS.size()));
  }

  /** {@code 1..maxSize} distinct shard ids from {@code [0, 10000]}; the size is uniform. */
  static Set<ShardId> shardSet(Random random, int maxSize) {
    int size = 1 + random.nextInt(maxSize);
    Set<ShardId> shards = new TreeSet<>();
    while (shards.size() < size) {
      shards.add(ShardId.of(random.nextInt(10_001)));
    }
    return shards;
  }

  /** {@code 1..maxSize} distinct node ids such as {@code n17}. */
  static Set<NodeId> nodeSet(Random random, int minSize, int maxSize) {
    int size = minSize + random.nextInt(maxSize - minSize + 1);
    Set<NodeId> nodes = new TreeSet<>();
    while (nodes.size() < size) {
      nodes.add(NodeId.of("n" + random.nextInt(1_000)));
    }
    return nodes;
  }
}
