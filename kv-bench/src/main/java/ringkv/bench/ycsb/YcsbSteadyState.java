package ringkv.bench.ycsb;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * The steady part of a YCSB run: throughput and latency percentiles from the per-operation
 * HdrHistogram interval logs YCSB writes with {@code -s -p status.interval=1
 * -p hdrhistogram.fileoutput=true -p hdrhistogram.output.path=PREFIX}, leaving out the intervals
 * that start in the first {@code SKIP} seconds of the run.
 *
 * <p>Why: every YCSB run is a fresh client JVM, and for its first seconds the client itself
 * (interpreted YCSB, gRPC and protobuf code) is several times slower. In a closed loop that only
 * lowers the first seconds' throughput; with {@code -target} the schedule runs ahead of the cold
 * client, and every operation sent late counts the backlog as latency, so the run's p99 measures
 * the client's warm-up, not the store (seen: 850 ms for 4 s, then 10 ms).
 *
 * <p>Usage: {@code YcsbSteadyState SKIP_SECONDS PREFIX}; prints lines in YCSB's own report format
 * ({@code [READ], 99thPercentileLatency(us), 1234}), {@code [OVERALL], Throughput(ops/sec)}
 * counting every operation type except the {@code Intended-} views, and
 * {@code [OVERALL], SkippedSeconds}: 0 when the run was too short to skip anything.
 */
public final class YcsbSteadyState {
  private static final double[] PERCENTILES = {50, 95, 99};

  private YcsbSteadyState() {}

  /** One operation type's interval histograms, in log order (timestamps in epoch ms). */
  record Intervals(String operation, List<Histogram> histograms) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: YcsbSteadyState SKIP_SECONDS PREFIX (the run's hdrhistogram.output.path)");
      System.exit(2);
    }
    double skip = Double.parseDouble(args[0]);
    Path prefix = Path.of(args[1]);
    Path dir = prefix.toAbsolutePath().getParent();
    String start = prefix.getFileName().toString();
    List<Intervals> logs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(start) && name.endsWith(".hdr")) {
          String operation = name.substring(start.length(), name.length() - ".hdr".length());
          // CLEANUP and Intended-CLEANUP time closing the client, not the workload
          if (!operation.endsWith("CLEANUP")) {
            logs.add(new Intervals(operation, read(file.toFile())));
          }
        }
      }
    }
    if (logs.isEmpty()) {
      System.err.println("no " + start + "*.hdr files in " + dir);
      System.exit(1);
    }
    report(logs, skip, System.out);
  }

  static List<Histogram> read(File file) throws FileNotFoundException {
    List<Histogram> out = new ArrayList<>();
    HistogramLogReader reader = new HistogramLogReader(file);
    try {
      EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        out.add((Histogram) h);
      }
    } finally {
      reader.close();
    }
    return out;
  }

  /** Prints the steady-state report of {@code logs}, skipping intervals that start before run start + skip. */
  static void report(List<Intervals> logs, double skipSeconds, PrintStream out) {
    long runStart = logs.stream().flatMap(l -> l.histograms().stream()).mapToLong(Histogram::getStartTimeStamp)
        .min().orElse(0);
    long afterSkip = runStart + Math.round(skipSeconds * 1000);
    boolean anyAfter = logs.stream().flatMap(l -> l.histograms().stream())
        .anyMatch(h -> h.getStartTimeStamp() >= afterSkip && h.getTotalCount() > 0);
    // too short to skip: report the whole run, and say so
    long from = anyAfter ? afterSkip : runStart;
    Map<String, Histogram> totals = new TreeMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Intervals log : logs) {
      Histogram total = new Histogram(3);
      for (Histogram h : log.histograms()) {
        if (h.getStartTimeStamp() >= from) {
          total.add(h);
          first = Math.min(first, h.getStartTimeStamp());
          last = Math.max(last, h.getEndTimeStamp());
        }
      }
      totals.put(log.operation(), total);
    }
    long operations = totals.entrySet().stream().filter(e -> !e.getKey().startsWith("Intended-"))
        .mapToLong(e -> e.getValue().getTotalCount()).sum();
    long millis = Math.max(1, last - first);
    out.printf(Locale.ROOT, "[OVERALL], SkippedSeconds, %.1f%n", (from - runStart) / 1000.0);
    out.printf(Locale.ROOT, "[OVERALL], MeasuredTime(ms), %d%n", last >= first ? last - first : 0);
    out.printf(Locale.ROOT, "[OVERALL], Throughput(ops/sec), %.2f%n", operations * 1000.0 / millis);
    totals.forEach((operation, h) -> {
      out.printf(Locale.ROOT, "[%s], Operations, %d%n", operation, h.getTotalCount());
      if (h.getTotalCount() == 0) {
        return;
      }
      out.printf(Locale.ROOT, "[%s], AverageLatency(us), %.2f%n", operation, h.getMean());
      for (double p : PERCENTILES) {
        out.printf(Locale.ROOT, "[%s], %dthPercentileLatency(us), %d%n", operation, (int) p, h.getValueAtPercentile(p));
      }
      out.printf(Locale.ROOT, "[%s], MaxLatency(us), %d%n", operation, h.getMaxValue());
    });
  }
}
