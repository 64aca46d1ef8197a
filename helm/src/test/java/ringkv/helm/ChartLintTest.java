package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {
  @Test
  void lint_strict_passesWithoutWarnings() {
    LintResult result = new Helm(Locations.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict failed: %s", result.getMessages()).isFalse();
    // --strict already fails on warnings; errors and warnings must not hide in the messages either
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void helmVersion_isTheBuiltInHelm3() {
    assertThat(Helm.version().call()).startsWith("v3.");
  }
}
