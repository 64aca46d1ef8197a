package ringkv.bench;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import ringkv.client.BatchResult;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * Loads N keys of a fixed value size into a running cluster with batch puts, as fast as the
 * cluster takes them, and prints the rate. Used by bench/durability.sh to build the data set
 * whose snapshot and restart times docs/benchmarks.md reports.
 *
 * <pre>
 * java -cp ... ringkv.bench.BulkLoad --endpoints 127.0.0.1:8001 --keys 1000000 --value-bytes 100
 * </pre>
 */
public final class BulkLoad {
  private BulkLoad() {}

  /** Settings, from {@code --name value} pairs. */
  record Settings(List<String> endpoints, long keys, int valueBytes, int batch, int threads) {
    static Settings parse(String[] args) {
      Map<String, String> named = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
        }
        named.put(args[i].substring(2), args[i + 1]);
      }
      Settings s = new Settings(
          List.of(named.getOrDefault("endpoints", "127.0.0.1:8001").split(",")),
          Long.parseLong(named.getOrDefault("keys", "1000000")),
          Integer.parseInt(named.getOrDefault("value-bytes", "100")),
          Integer.parseInt(named.getOrDefault("batch", "1000")),
          Integer.parseInt(named.getOrDefault("threads", "4")));
      named.keySet().removeAll(List.of("endpoints", "keys", "value-bytes", "batch", "threads"));
      if (!named.isEmpty()) {
        throw new IllegalArgumentException("unknown settings " + named.keySet());
      }
      return s;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings s;
    try {
      s = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bulk-load: error: " + e.getMessage());
      System.exit(2);
      return;
    }
    ByteString value = ByteString.copyFromUtf8("v".repeat(s.valueBytes()));
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long started = System.nanoTime();
    try (KvClient client = KvClient.connect(KvClientConfig.builder().endpoints(s.endpoints())
        .callTimeout(Duration.ofSeconds(60)).build())) {
      ExecutorService pool = Executors.newFixedThreadPool(s.threads());
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < s.threads(); t++) {
        workers.add(pool.submit(() -> {
          long first;
          while ((first = next.getAndAdd(s.batch())) < s.keys()) {
            Map<ByteString, ByteString> batch = new LinkedHashMap<>();
            for (long k = first; k < Math.min(first + s.batch(), s.keys()); k++) {
              batch.put(ByteString.copyFromUtf8(String.format("key%012d", k)), value);
            }
            BatchResult result = client.batchPut(batch);
            if (!result.allOk()) {
              throw new IllegalStateException("batch at key " + first + " failed: "
                  + result.items().stream().filter(i -> !i.ok()).findFirst().orElseThrow().error());
            }
            long total = done.addAndGet(batch.size());
            if (total % 100_000 < batch.size()) {
              System.out.printf("%,d keys loaded%n", total);
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("loaded %,d keys of %d bytes in %.1f s (%,.0f keys/s)%n", done.get(), s.valueBytes(), seconds,
        done.get() / seconds);
  }
}
