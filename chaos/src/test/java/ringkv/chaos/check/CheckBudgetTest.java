package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckBudgetTest {

  /**
   * 20 puts all concurrent, then two reads that no order explains: the search must try every subset
   * of the puts before it can say so (about 10 million configurations).
   */
  private static TestHistory pathological() {
    var h = new TestHistory();
    for (int i = 0; i < 20; i++) {
      h.put("v" + i, i, 100 + i);
    }
    return h.get("v0", 200, 201).get("v1", 202, 203);
  }

  @Test
  void check_pathologicalHistoryOverStateBudget_isUnknown() {
    var checker = new LinearizabilityChecker(new CheckBudget(20_000, Duration.ofMinutes(1)));

    KeyResult result = checker.check(pathological().ops()).keys().get(0);

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.counterexample()).isNull();
    assertThat(result.statesExplored()).isEqualTo(20_001);
  }

  @Test
  void check_pathologicalHistoryOverTimeBudget_isUnknown() {
    var clock = new AtomicLong();
    // every reading of the clock moves it 1 ms: the 50 ms budget ends after ~50 readings
    var checker =
        new LinearizabilityChecker(
            new CheckBudget(Long.MAX_VALUE, Duration.ofMillis(50)),
            () -> clock.addAndGet(1_000_000));

    CheckResult result = checker.check(pathological().ops());

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.render()).startsWith("UNKNOWN").contains("key k: UNKNOWN");
  }

  @Test
  void check_smallHistoryWithinBudget_isDecided() {
    var checker = new LinearizabilityChecker(new CheckBudget(100, Duration.ofSeconds(5)));

    var result = checker.check(new TestHistory().put("v1", 0, 1).get("v1", 2, 3).ops());

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void newBudget_nonPositiveLimits_areRejected() {
    assertThatThrownBy(() -> new CheckBudget(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxStates");
    assertThatThrownBy(() -> new CheckBudget(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTime");
  }
}
