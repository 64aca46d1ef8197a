package ringkv.cli;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.utils.Signals;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.ClusterMap;

/**
 * {@code kvctl top}: live numbers of every node and shard, refreshed every {@code --interval}, read
 * from the nodes' Prometheus metrics.
 *
 * <p>Implementation notes: the cluster map is read once, at the start (Admin/GetClusterMap, first
 * endpoint that answers). Every refresh then scrapes all nodes at once and waits for them all, each
 * within {@link #scrapeTimeout}. Rates compare a node's scrape with its previous one, so they
 * appear from the second refresh, and a node that missed a refresh gets them back one refresh after
 * it answers again. Ctrl-C interrupts the thread that runs the loop (a SIGINT handler installed for
 * the command's duration, the previous one restored after), which ends the loop with exit code 0.
 */
@Command(
    name = "top",
    sortOptions = false,
    description = {
      "Shows live numbers of every node and shard, refreshed every --interval, until Ctrl-C.",
      "",
      "Reads the cluster map once, then scrapes each node's /metrics on its admin port (the map's"
          + " admin_port, else API port + 1000). Per node: UP or DOWN, data calls per second, their"
          + " p99 latency, calls that failed and requests forwarded per second. Per shard and for"
          + " meta: leader, entries applied per second on the leader, the largest apply lag of a"
          + " replica, keys, data bytes. Rates need two scrapes, so they show from the second"
          + " refresh. A node that does not answer within the interval (at most 5s) is DOWN for"
          + " that refresh. On a terminal the screen is redrawn; otherwise each refresh prints one"
          + " block (or, with -o json, one line). Exits 0 after --iterations or on Ctrl-C, 1 when"
          + " no endpoint gives the map."
    })
public final class TopCommand implements Callable<Integer> {
  /**
   * The longest a scrape may take, however long the interval; a node slower than the scrape timeout
   * is shown DOWN for that refresh.
   */
  static final Duration MAX_SCRAPE_TIMEOUT = Duration.ofSeconds(5);

  /** Cursor home; erase to the end of the line; erase below the cursor. */
  static final String HOME = "\033[H";

  static final String ERASE_LINE = "\033[K";
  static final String ERASE_BELOW = "\033[J";

  @ParentCommand private KvctlMain root;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Time between refreshes (500ms, 2s, 1m). Default: ${DEFAULT-VALUE}.")
  private Duration interval = Duration.ofSeconds(2);

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Stop after N refreshes (the first has no rates). Default: until Ctrl-C.")
  private @Nullable Integer iterations;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = ClusterFormat.Converter.class,
      description = "table or json (one object per refresh). Default: ${DEFAULT-VALUE}.")
  private ClusterFormat output = ClusterFormat.TABLE;

  @Override
  public Integer call() {
    if (iterations != null && iterations < 1) {
      throw new UsageException("--iterations must be at least 1, got " + iterations);
    }
    Thread loop = Thread.currentThread();
    @Nullable Object previousHandler = Signals.register("INT", loop::interrupt);
    try {
      ClusterMap map = ClusterCommand.firstAnswer(root, ClusterAdmin::clusterMap).getMap();
      run(map);
    } catch (InterruptedException e) {
      // Ctrl-C: the normal way to stop
    } catch (RuntimeException e) {
      if (!Thread.interrupted()) {
        throw e;
      }
      // Ctrl-C while the map was being read
    } finally {
      if (previousHandler != null) {
        Signals.unregister("INT", previousHandler);
      }
      Thread
          .interrupted(); // a Ctrl-C that came after the loop ended must not reach the next command
    }
    return ExitCodes.OK;
  }

  private void run(ClusterMap map) throws InterruptedException {
    CliContext context = root.context();
    Pacer pacer = context.pacer();
    List<MetricsTarget> targets = map.getNodesList().stream().map(MetricsTarget::of).toList();
    Duration timeout = scrapeTimeout(interval);
    long intervalNanos = GrpcClusterAdmin.saturatedNanos(interval);
    ResultPrinter printer = root.printer();
    boolean redraw = context.terminal() && output == ClusterFormat.TABLE;

    Map<String, NodeScrape> previous = Map.of();
    long first = 0;
    long next = 0;
    for (int refresh = 1; iterations == null || refresh <= iterations; refresh++) {
      if (refresh > 1) {
        next = Math.max(next + intervalNanos, pacer.nanoTime());
        pacer.sleepUntil(next);
      }
      long at = pacer.nanoTime();
      if (refresh == 1) {
        first = at;
        next = at;
      }
      List<TopReport.Scraped> now = scrapeAll(context.metrics(), targets, at, timeout);
      Duration elapsed = Duration.ofNanos(at - first).truncatedTo(ChronoUnit.MILLIS);
      TopReport report = TopReport.of(map, refresh, elapsed, interval, now, previous);
      print(printer, report, refresh, redraw);
      context.out().flush();

      Map<String, NodeScrape> answered = new HashMap<>();
      now.stream()
          .filter(s -> s.scrape() != null)
          .forEach(s -> answered.put(s.target().nodeId(), s.scrape()));
      previous = answered;
    }
  }

  /** The scrape timeout: the interval, but at most {@link #MAX_SCRAPE_TIMEOUT}. */
  static Duration scrapeTimeout(Duration interval) {
    return interval.compareTo(MAX_SCRAPE_TIMEOUT) < 0 ? interval : MAX_SCRAPE_TIMEOUT;
  }

  /** Scrapes every target at once; waits for all. */
  static List<TopReport.Scraped> scrapeAll(
      MetricsSource metrics, List<MetricsTarget> targets, long at, Duration timeout)
      throws InterruptedException {
    List<CompletableFuture<String>> answers = new ArrayList<>(targets.size());
    for (MetricsTarget target : targets) {
      answers.add(metrics.scrape(target.url(), timeout));
    }
    // the source enforces the timeout; this bound is only against a source that never completes
    long deadline = System.nanoTime() + GrpcClusterAdmin.saturatedNanos(timeout.plusSeconds(1));
    List<TopReport.Scraped> scraped = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      MetricsTarget target = targets.get(i);
      CompletableFuture<String> answer = answers.get(i);
      try {
        String text = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        scraped.add(TopReport.Scraped.up(target, NodeScrape.parse(at, text)));
      } catch (ExecutionException e) {
        scraped.add(TopReport.Scraped.down(target, reason(e.getCause())));
      } catch (TimeoutException e) {
        answer.cancel(true);
        scraped.add(
            TopReport.Scraped.down(
                target, "no answer within " + DurationConverter.format(timeout)));
      } catch (IllegalArgumentException e) {
        scraped.add(TopReport.Scraped.down(target, "unreadable /metrics: " + e.getMessage()));
      }
    }
    return scraped;
  }

  private static String reason(@Nullable Throwable failure) {
    if (failure == null) {
      return "scrape failed";
    }
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  private void print(ResultPrinter printer, TopReport report, int refresh, boolean redraw) {
    if (output == ClusterFormat.JSON) {
      printer.line(report.json().toString());
      return;
    }
    List<String> lines = report.table();
    if (redraw) {
      StringBuilder screen = new StringBuilder(HOME);
      for (String line : lines) {
        screen.append(line).append(ERASE_LINE).append('\n');
      }
      screen.append(ERASE_BELOW);
      printer.write(screen.toString());
      return;
    }
    if (refresh > 1) {
      printer.line("");
    }
    lines.forEach(printer::line);
  }
}
