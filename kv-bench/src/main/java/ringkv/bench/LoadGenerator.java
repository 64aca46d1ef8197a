package ringkv.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import ringkv.client.BatchResult;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * The RingKV load generator ({@code bin/ringkv-bench}): runs a write, read, mixed, CAS or scan
 * workload against a cluster through the Java client, closed loop ({@code --threads} x
 * {@code --in-flight}) or open loop ({@code --rate}), and reports throughput and latency
 * percentiles of the measured phase (warm-up excluded). Usage: {@code --help};
 * docs/benchmarks.md, "Load generator". Exit codes: 0 done, 1 the run failed (no operation
 * succeeded, or the cluster was unreachable), 2 bad options.
 */
@Command(name = "ringkv-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generates load against a RingKV cluster and reports throughput and latency.")
public final class LoadGenerator {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT,...", defaultValue = "127.0.0.1:8001,8002,8003",
      description = "API endpoints; a bare port reuses the host before it (default: ${DEFAULT-VALUE}).")
  String endpoints = "127.0.0.1:8001,8002,8003";

  @Option(names = "--workload", paramLabel = "KIND", defaultValue = "write",
      description = "write, read, mixed, cas (get + compareAndSet) or scan (default: ${DEFAULT-VALUE}).")
  Workload workload = Workload.WRITE;

  @Option(names = "--read-ratio", paramLabel = "R", defaultValue = "0.5", description = "Share of gets in the mixed workload (default: ${DEFAULT-VALUE}).")
  double readRatio = 0.5;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "100000", description = "Key space size (default: ${DEFAULT-VALUE}).")
  long keys = 100_000;

  @Option(names = "--key-size", paramLabel = "BYTES", defaultValue = "16", description = "Key length (default: ${DEFAULT-VALUE}).")
  int keySize = 16;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100", description = "Value length (default: ${DEFAULT-VALUE}).")
  int valueSize = 100;

  @Option(names = "--distribution", paramLabel = "KIND", defaultValue = "uniform",
      description = "uniform or zipfian (YCSB constant 0.99) (default: ${DEFAULT-VALUE}).")
  KeyDistribution distribution = KeyDistribution.UNIFORM;

  @Option(names = "--threads", paramLabel = "T", defaultValue = "4", description = "Sending threads (default: ${DEFAULT-VALUE}).")
  int threads = 4;

  @Option(names = "--in-flight", paramLabel = "N", defaultValue = "1",
      description = "Async requests outstanding per thread (default: ${DEFAULT-VALUE}).")
  int inFlight = 1;

  @Option(names = "--duration", paramLabel = "TIME", description = "Measured time, e.g. 30s, 2m (default: 30s).")
  @Nullable String duration;

  @Option(names = "--ops", paramLabel = "N", description = "Measured operations, instead of --duration.")
  @Nullable Long ops;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "10s",
      description = "Warm-up before measuring, reported apart (default: ${DEFAULT-VALUE}).")
  String warmup = "10s";

  @Option(names = "--rate", paramLabel = "OPS_PER_S",
      description = "Open loop: send at this total rate and measure latency from the intended send time.")
  @Nullable Double rate;

  @Option(names = "--preload", description = "Write the whole key space first (batch puts).")
  boolean preload;

  @Option(names = "--consistency", paramLabel = "KIND", defaultValue = "linearizable",
      description = "Reads: linearizable or serializable (default: ${DEFAULT-VALUE}).")
  String consistency = "linearizable";

  @Option(names = "--scan-length", paramLabel = "N", defaultValue = "10", description = "Keys per scan (default: ${DEFAULT-VALUE}).")
  int scanLength = 10;

  @Option(names = "--call-timeout", paramLabel = "TIME", defaultValue = "10s",
      description = "Client deadline per call (default: ${DEFAULT-VALUE}).")
  String callTimeout = "10s";

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: random; echoed in the report).")
  @Nullable Long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
  @Nullable Path json;

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err, settings -> runAgainstCluster(settings, System.out, System.err)));
  }

  /**
   * Parses and validates {@code args} and hands the settings to {@code action}; returns the exit
   * code (2 with a one-line error on bad options).
   */
  static int execute(String[] args, PrintStream out, PrintStream err, ToIntFunction<BenchSettings> action) {
    LoadGenerator command = new LoadGenerator();
    CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("ringkv-bench: error: " + e.getMessage().lines().findFirst().orElse("") + " (see --help)");
      return 2;
    });
    cli.setExecutionStrategy(parsed -> {
      Integer help = CommandLine.executeHelpRequest(parsed);
      if (help != null) {
        return help;
      }
      BenchSettings settings;
      try {
        settings = command.settings();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(parsed.commandSpec().commandLine(), e.getMessage(), e);
      }
      return action.applyAsInt(settings);
    });
    return cli.execute(args);
  }

  BenchSettings settings() {
    if (duration != null && ops != null) {
      throw new IllegalArgumentException("--duration and --ops exclude each other");
    }
    if (ops != null && ops < 1) {
      throw new IllegalArgumentException("--ops must be >= 1, got " + ops);
    }
    if (rate != null && !(rate > 0)) {
      throw new IllegalArgumentException("--rate must be > 0, got " + rate);
    }
    boolean serializable = switch (consistency.toLowerCase()) {
      case "linearizable" -> false;
      case "serializable" -> true;
      default -> throw new IllegalArgumentException(
          "--consistency must be linearizable or serializable, got '" + consistency + "'");
    };
    return new BenchSettings(BenchSettings.expandEndpoints(endpoints), workload, readRatio, keys, keySize, valueSize,
        distribution, threads, inFlight, parseDuration("--duration", duration == null ? "30s" : duration),
        ops == null ? 0 : ops, parseDuration("--warmup", warmup), rate == null ? 0 : rate, preload, serializable,
        scanLength, parseDuration("--call-timeout", callTimeout),
        seed != null ? seed : ThreadLocalRandom.current().nextLong(), json);
  }

  private static Duration parseDuration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  static int runAgainstCluster(BenchSettings settings, PrintStream out, PrintStream err) {
    KvClientConfig config = KvClientConfig.builder().endpoints(settings.endpoints())
        .callTimeout(settings.callTimeout()).build();
    try (KvClient client = KvClient.connect(config)) {
      KeySpace keys = new KeySpace(settings.keys(), settings.keySize(), settings.distribution());
      if (settings.preload()) {
        preload(client, keys, settings, out);
      } else if (settings.workload().readsExistingKeys()) {
        out.println("note: no --preload; reads of keys never written find nothing (still a full read)");
      }
      out.println("running: " + settings.echo());
      BenchReport report = new LoadRunner(settings, new Operations(settings, client.async(), keys), out).run();
      out.print(report.toText());
      if (settings.json() != null) {
        Files.writeString(settings.json(), report.toJson(), StandardCharsets.UTF_8);
        out.println("json: " + settings.json());
      }
      return report.ops() == 0 && report.errorCount() > 0 ? 1 : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("ringkv-bench: failed: " + e);
      return 1;
    }
  }

  /** Writes every key once with batch puts of 1,000 keys from up to 4 threads. */
  static void preload(KvClient client, KeySpace keys, BenchSettings settings, PrintStream out) {
    int batchSize = 1000;
    int threads = Math.min(4, settings.threads());
    ByteString value = KeySpace.value(settings.valueSize(), settings.seed());
    AtomicLong next = new AtomicLong();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          long first;
          while ((first = next.getAndAdd(batchSize)) < keys.size()) {
            Map<ByteString, ByteString> batch = new LinkedHashMap<>();
            for (long k = first; k < Math.min(first + batchSize, keys.size()); k++) {
              batch.put(keys.key(k), value);
            }
            BatchResult result = client.batchPut(batch);
            if (!result.allOk()) {
              throw new IllegalStateException("preload batch at key " + first + " failed: "
                  + result.items().stream().filter(i -> !i.ok()).findFirst().orElseThrow().error());
            }
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("preload interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("preload failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    out.printf("preloaded %,d keys in %.1f s%n", keys.size(), (System.nanoTime() - started) / 1e9);
  }
}
