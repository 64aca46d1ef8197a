package ringkv.chaos.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ringkv.chaos.check.CheckBudget;
import ringkv.chaos.check.LinearizabilityChecker;
import ringkv.chaos.cluster.ChaosCluster;
import ringkv.chaos.fault.FaultWindow;
import ringkv.chaos.history.HistoryReader;
import ringkv.chaos.history.HistoryWriter;
import ringkv.chaos.history.Operation;
import ringkv.chaos.workload.RegisterWorkload;
import ringkv.client.KvClient;

/**
 * Runs scenarios one after another on one chaos cluster: for each, the workload runs while the
 * scenario's fault schedule breaks things; then every fault is healed, the cluster must serve
 * again, every key is read once more, the history is checked for linearizability, and every
 * shard's replicas must converge. Each scenario writes its history, faults and report to its
 * own folder under the output folder.
 */
public final class ChaosRun {
  /** How long the cluster has to serve again after the last heal. */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);

  /**
   * @param duration of each scenario's workload (faults stop a few seconds before)
   * @param seed the run's seed; scenario i uses {@code seed + i}
   * @param output where each scenario's folder goes
   * @param workers concurrent clients
   * @param keys hot keys per scenario
   * @param checkBudget how long the checker may search per key before it answers "unknown"
   */
  public record Settings(Duration duration, long seed, Path output, int workers, int keys, Duration checkBudget) {}

  private final ChaosCluster cluster;
  private final Settings settings;
  private final PrintStream out;

  public ChaosRun(ChaosCluster cluster, Settings settings, PrintStream out) {
    this.cluster = cluster;
    this.settings = settings;
    this.out = out;
  }

  public List<ScenarioResult> runAll(List<Scenario> scenarios) throws IOException, InterruptedException {
    List<ScenarioResult> results = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      results.add(run(scenarios.get(i), settings.seed() + i));
    }
    return results;
  }

  public ScenarioResult run(Scenario scenario, long seed) throws IOException, InterruptedException {
    Path folder = settings.output().resolve(scenario.name());
    Files.createDirectories(folder);
    out.printf("== %s (seed %d, %ds): %s%n", scenario.name(), seed, settings.duration().toSeconds(), scenario.summary());
    cluster.awaitReady(RECOVERY_TIMEOUT);
    long start = System.nanoTime();
    List<FaultWindow> windows;
    String recoveryFailure = null;
    String convergenceFailure = null;
    try (HistoryWriter history = new HistoryWriter(Files.newBufferedWriter(folder.resolve("history.jsonl")),
        () -> System.nanoTime() - start, false)) {
      RegisterWorkload workload = new RegisterWorkload(
          new RegisterWorkload.Settings(settings.workers(), settings.keys(), scenario.name() + "/", seed), history,
          () -> KvClient.connect(cluster.clientConfig().build()));
      ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-progress");
        t.setDaemon(true);
        return t;
      });
      try {
        workload.start();
        progress.scheduleAtFixedRate(() -> {
          long[] c = workload.counts();
          out.printf("   +%.0fs ok %d, fail %d, unknown %d%n", (System.nanoTime() - start) / 1e9, c[0], c[1], c[2]);
        }, 5, 5, TimeUnit.SECONDS);
        long end = settings.duration().toNanos();
        windows = scenario.schedule().run(cluster, seed, () -> System.nanoTime() - start, end, line -> out.println("   " + line));
        long left = end - (System.nanoTime() - start);
        if (left > 0) {
          Thread.sleep(left / 1_000_000);
        }
      } finally {
        progress.shutdownNow();
        workload.close();
      }
      try {
        cluster.awaitReady(RECOVERY_TIMEOUT);
        try (KvClient reader = KvClient.connect(cluster.clientConfig().build())) {
          workload.finalReads(reader, RECOVERY_TIMEOUT);
        }
      } catch (AssertionError | RuntimeException e) {
        recoveryFailure = "the cluster did not serve again within " + RECOVERY_TIMEOUT.toSeconds() + " s of the last heal: "
            + e.getMessage();
      }
    }
    if (recoveryFailure == null) {
      try {
        cluster.awaitConverged(RECOVERY_TIMEOUT);
      } catch (AssertionError | RuntimeException e) {
        convergenceFailure = e.getMessage();
      }
    }
    List<Operation> operations = HistoryReader.readOperations(folder.resolve("history.jsonl"));
    ScenarioResult result = ScenarioResult.of(scenario.name(), seed, settings.duration(), folder, operations, windows,
        new LinearizabilityChecker(new CheckBudget(CheckBudget.DEFAULT.maxStates(), settings.checkBudget())).check(operations), recoveryFailure, convergenceFailure);
    result.write(folder);
    out.print(result.text());
    return result;
  }
}
