package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Heap that {@link PartitionedStore} spends per key beyond the key's and value's own bytes, next
 * to the layout it replaced (one skip list of values per partition), for docs/architecture.md
 * ("The store"). A report, not a test: run it by hand after a build,
 *
 * <pre>
 * java -Xmx2g -XX:+UseSerialGC -cp "kv-raft/target/test-classes:kv-raft/target/classes:kv-server/target/lib/*" \
 *     ringkv.raft.shard.StoreMemoryReport 1000000
 * </pre>
 */
public final class StoreMemoryReport {
  private static final int PARTITIONS = 1024;

  private StoreMemoryReport() {}

  public static void main(String[] args) {
    int keyCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    ByteString[] keys = new ByteString[keyCount];
    ByteString[] values = new ByteString[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = ByteString.copyFromUtf8(String.format("key%013d", i));
      values[i] = ByteString.copyFrom(new byte[100]);
    }
    // alternate the layouts, so that a heap that grows as the JVM runs shows as disagreement
    for (int round = 0; round < 2; round++) {
      report("sorted index only (before step 12)", keyCount, () -> sortedOnly(keys, values));
      report("hash + sorted index (PartitionedStore)", keyCount, () -> partitionedStore(keys, values));
    }
  }

  private static Object sortedOnly(ByteString[] keys, ByteString[] values) {
    @SuppressWarnings("unchecked")
    ConcurrentSkipListMap<ByteString, StoredValue>[] partitions = new ConcurrentSkipListMap[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      partitions[p] = new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
    }
    for (int i = 0; i < keys.length; i++) {
      partitions[i % PARTITIONS].put(keys[i], new StoredValue(values[i], i + 1, i + 1, 1));
    }
    return partitions;
  }

  private static Object partitionedStore(ByteString[] keys, ByteString[] values) {
    PartitionedStore store = new PartitionedStore(PARTITIONS);
    for (int i = 0; i < keys.length; i++) {
      store.put(i % PARTITIONS, keys[i], values[i], i + 1);
    }
    return store;
  }

  private static void report(String layout, int keyCount, java.util.function.Supplier<Object> build) {
    long before = usedHeapAfterGc();
    Object held = build.get();
    long after = usedHeapAfterGc();
    System.out.printf("%-40s %6.1f bytes per key (the keys' and values' own bytes not counted)%n", layout,
        (after - before) / (double) keyCount);
    java.lang.ref.Reference.reachabilityFence(held);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
