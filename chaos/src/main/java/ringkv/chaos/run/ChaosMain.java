package ringkv.chaos.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * {@code bin/ringkv-chaos <scenario|all|list>}: starts a chaos cluster, runs the scenarios, prints
 * a report per scenario and writes history and report to a folder. Exit status: 0 when every
 * scenario passed, 1 on a violation (non-linearizable history, replicas that differ, a cluster
 * that did not serve again), 2 on bad usage.
 */
@Command(name = "ringkv-chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs chaos scenarios against a local RingKV cluster whose every link goes through a Toxiproxy proxy, "
        + "records a history and checks it for linearizability. Scenarios: list.")
public final class ChaosMain implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "a scenario name, 'all' (each in turn) or 'list'")
  String scenario;

  @Option(names = "--duration", paramLabel = "TIME", description = "workload time per scenario, e.g. 30s or 2m (default 60s)")
  String duration = "60s";

  @Option(names = "--seed", description = "seed of the fault schedules and the workload (default: random, printed)")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "where histories and reports go (default chaos-results/<time>)")
  Path out;

  @Option(names = "--nodes", description = "kv-server processes (default 3)")
  int nodes = 3;

  @Option(names = "--shards", description = "shards (default 2)")
  int shards = 2;

  @Option(names = "--workers", description = "concurrent clients (default 6)")
  int workers = 6;

  @Option(names = "--keys", description = "hot keys per scenario (default 8)")
  int keys = 8;

  @Option(names = "--check-budget", paramLabel = "TIME", description = "checker time per key before it answers 'unknown' (default 20s)")
  String checkBudget = "20s";

  @Option(names = "--unsafe-local-reads", description = "a deliberately broken build: nodes serve linearizable reads from "
      + "their local replica; the checker must report a violation (docs/chaos.md)")
  boolean unsafeLocalReads;

  private final PrintStream stdout;

  ChaosMain(PrintStream stdout) {
    this.stdout = stdout;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new ChaosMain(out));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("ringkv-chaos: error: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    cli.setParameterExceptionHandler((e, params) -> {
      err.println("ringkv-chaos: error: " + e.getMessage() + " (ringkv-chaos --help)");
      return 2;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Duration each = parseDuration("--duration", duration);
    Duration budget = parseDuration("--check-budget", checkBudget);
    Map<String, Scenario> catalogue = Scenarios.catalogue(shards, nodes);
    if (scenario.equals("list")) {
      catalogue.values().forEach(s -> stdout.printf("%-18s %s%n", s.name(), s.summary()));
      stdout.printf("%-18s %s%n", "all", "each of the above in turn, on one cluster");
      return 0;
    }
    List<Scenario> chosen = new ArrayList<>();
    if (scenario.equals("all")) {
      chosen.addAll(catalogue.values());
    } else if (catalogue.containsKey(scenario)) {
      chosen.add(catalogue.get(scenario));
    } else {
      throw new IllegalArgumentException("unknown scenario '" + scenario + "'; one of " + catalogue.keySet() + ", all, list");
    }
    if (nodes < 3 || shards < 1 || workers < 1 || keys < 1) {
      throw new IllegalArgumentException("need --nodes >= 3, --shards >= 1, --workers >= 1 and --keys >= 1");
    }
    long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    Path folder = out != null ? out : Path.of("chaos-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    stdout.printf("ringkv-chaos: %s, seed %d (replay with --seed %d), %d nodes, %d shards, %d workers, %d keys; output %s%n",
        scenario, runSeed, runSeed, nodes, shards, workers, keys, folder.toAbsolutePath());
    ChaosRun.Settings settings = new ChaosRun.Settings(each, runSeed, folder, workers, keys, budget);
    List<String> jvm = unsafeLocalReads ? List.of("-Dringkv.testing.unsafeLocalReads=true") : List.of();
    List<ScenarioResult> results;
    try (ChaosCluster cluster = ChaosCluster.builder(folder.resolve("cluster")).shape(b -> b.nodes(nodes).shards(shards))
        .serverJvmProperties(jvm).start()) {
      results = new ChaosRun(cluster, settings, stdout).runAll(chosen);
    }
    ScenarioResult.writeSummary(folder, results);
    long failed = results.stream().filter(r -> !r.passed()).count();
    stdout.printf("%n%d of %d scenarios passed; reports in %s%n", results.size() - failed, results.size(), folder.toAbsolutePath());
    return failed == 0 ? 0 : 1;
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}. */
  static Duration parseDuration(String option, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(option + " must be a positive time such as 500ms, 30s or 2m, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
