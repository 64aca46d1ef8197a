package ringkv.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line without a cluster: listing, and bad input refused in one line with status 2. */
class ChaosMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ChaosMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void list_printsEveryScenario() {
    assertThat(run("list")).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    for (String name : Scenarios.catalogue(2, 3).keySet()) {
      assertThat(text).contains(name);
    }
    assertThat(text).contains("all");
  }

  @Test
  void unknownScenario_oneLineError_status2() {
    assertThat(run("no-such-thing")).isEqualTo(2);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("ringkv-chaos: error: unknown scenario 'no-such-thing'").contains("leader-partition");
    assertThat(text.strip().lines()).hasSize(1);
  }

  @Test
  void badDuration_oneLineError_status2() {
    assertThat(run("kill", "--duration", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--duration must be a positive time");
  }

  @Test
  void parseDuration_units() {
    assertThat(ChaosMain.parseDuration("--d", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ChaosMain.parseDuration("--d", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ChaosMain.parseDuration("--d", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> ChaosMain.parseDuration("--d", "0s")).hasMessageContaining("positive");
  }
}
