package ringkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadGeneratorTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<BenchSettings> received = new ArrayList<>();

  private int run(String... args) {
    return LoadGenerator.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), s -> {
          received.add(s);
          return 0;
        });
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void execute_noArgs_usesDefaults() {
    assertThat(run("--seed", "7")).isZero();
    BenchSettings s = received.get(0);
    assertThat(s.endpoints()).containsExactly("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003");
    assertThat(s.workload()).isEqualTo(Workload.WRITE);
    assertThat(s.keys()).isEqualTo(100_000);
    assertThat(s.valueSize()).isEqualTo(100);
    assertThat(s.distribution()).isEqualTo(KeyDistribution.UNIFORM);
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.ops()).isZero();
    assertThat(s.isOpenLoop()).isFalse();
    assertThat(s.seed()).isEqualTo(7);
  }

  @Test
  void execute_allOptions_areParsed() {
    assertThat(run("--endpoints", "h1:9001,9002,h2:9100", "--workload", "mixed", "--read-ratio", "0.9", "--keys",
        "1000", "--key-size", "20", "--value-size", "1", "--distribution", "ZIPFIAN", "--threads", "8",
        "--in-flight", "16", "--ops", "5000", "--warmup", "500ms", "--rate", "2000", "--preload", "--consistency",
        "serializable", "--json", "/tmp/x.json")).isZero();
    BenchSettings s = received.get(0);
    assertThat(s.endpoints()).containsExactly("h1:9001", "h1:9002", "h2:9100");
    assertThat(s.workload()).isEqualTo(Workload.MIXED);
    assertThat(s.readRatio()).isEqualTo(0.9);
    assertThat(s.distribution()).isEqualTo(KeyDistribution.ZIPFIAN);
    assertThat(s.threads()).isEqualTo(8);
    assertThat(s.inFlight()).isEqualTo(16);
    assertThat(s.ops()).isEqualTo(5000);
    assertThat(s.warmup()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.ratePerSecond()).isEqualTo(2000);
    assertThat(s.isOpenLoop()).isTrue();
    assertThat(s.preload()).isTrue();
    assertThat(s.serializableReads()).isTrue();
    assertThat(s.json()).hasToString("/tmp/x.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--workload nope",
      "--read-ratio 1.5",
      "--keys 0",
      "--keys abc",
      "--key-size 4",
      "--value-size -1",
      "--distribution pareto",
      "--threads 0",
      "--in-flight 0",
      "--duration 0s",
      "--duration soon",
      "--ops 0",
      "--duration 10s --ops 100",
      "--warmup -5s",
      "--rate 0",
      "--rate -3",
      "--endpoints 8001",
      "--endpoints host-without-port",
      "--consistency eventual",
      "--scan-length 0",
      "--no-such-option 1",
      "stray"})
  void execute_badValue_printsOneLineErrorAndExits2(String args) {
    assertThat(run(args.split(" "))).isEqualTo(2);
    assertThat(received).isEmpty();
    assertThat(errText()).startsWith("ringkv-bench: error: ").endsWith("(see --help)" + System.lineSeparator());
    assertThat(errText().lines()).hasSize(1);
  }

  @Test
  void execute_badKeySize_namesTheMinimum() {
    assertThat(run("--keys", "1000000", "--key-size", "8")).isEqualTo(2);
    assertThat(errText()).contains("--key-size must be in [9, 8192] for 1000000 keys, got 8");
  }

  @Test
  void execute_help_printsUsageAndExits0() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--workload", "--rate", "--in-flight");
    assertThat(received).isEmpty();
  }

  @Test
  void durations_parse_shortAndIsoForms() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
