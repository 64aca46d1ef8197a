package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YcsbSteadyStateTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir
  Path dir;

  /** A log as YCSB writes it: 1-s intervals from T0; the first {@code slow} hold 1 s latencies, the rest 1 ms. */
  private File log(String name, int intervals, int slow, int perInterval) throws Exception {
    File file = dir.resolve(name).toFile();
    try (PrintStream out = new PrintStream(file, StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputLogFormatVersion();
      writer.outputStartTime(T0);
      writer.setBaseTime(T0);
      writer.outputLegend();
      for (int i = 0; i < intervals; i++) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(i < slow ? 1_000_000 : 1_000, perInterval);
        h.setStartTimeStamp(T0 + i * 1000L);
        h.setEndTimeStamp(T0 + (i + 1) * 1000L);
        writer.outputIntervalHistogram(h);
      }
    }
    return file;
  }

  private static String report(List<YcsbSteadyState.Intervals> logs, double skip) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    YcsbSteadyState.report(logs, skip, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void report_skipsTheFirstSecondsOfEveryOperation() throws Exception {
    var read = new YcsbSteadyState.Intervals("READ", YcsbSteadyState.read(log("p-READ.hdr", 8, 3, 100)));
    var update = new YcsbSteadyState.Intervals("UPDATE", YcsbSteadyState.read(log("p-UPDATE.hdr", 8, 3, 50)));
    var intended = new YcsbSteadyState.Intervals("Intended-READ",
        YcsbSteadyState.read(log("p-Intended-READ.hdr", 8, 4, 100)));

    String text = report(List.of(read, update, intended), 3);

    // 5 s of 150 ops/s; the Intended- view is not counted twice
    assertThat(text).contains("[OVERALL], SkippedSeconds, 3.0", "[OVERALL], MeasuredTime(ms), 5000",
        "[OVERALL], Throughput(ops/sec), 150.00", "[READ], Operations, 500", "[UPDATE], Operations, 250",
        "[Intended-READ], Operations, 500");
    assertThat(text).containsPattern("\\[READ\\], 99thPercentileLatency\\(us\\), 100[0-9]\n");
    // the intended view still holds its one slow second after the skip
    assertThat(text).containsPattern("\\[Intended-READ\\], 99thPercentileLatency\\(us\\), 100[0-9]{4}\n");
  }

  @Test
  void report_noSkip_keepsTheWholeRun() throws Exception {
    var read = new YcsbSteadyState.Intervals("READ", YcsbSteadyState.read(log("q-READ.hdr", 4, 1, 10)));

    String text = report(List.of(read), 0);

    assertThat(text).contains("[OVERALL], SkippedSeconds, 0.0", "[READ], Operations, 40",
        "[OVERALL], Throughput(ops/sec), 10.00");
  }

  @Test
  void report_runShorterThanTheSkip_reportsTheWholeRunAndSaysSo() throws Exception {
    var read = new YcsbSteadyState.Intervals("READ", YcsbSteadyState.read(log("r-READ.hdr", 3, 0, 10)));

    String text = report(List.of(read), 15);

    assertThat(text).contains("[OVERALL], SkippedSeconds, 0.0", "[READ], Operations, 30");
  }
}
