package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckBudgetTest {

  /**
   * 20 puts all concurrent, and during them reads of v0, v1, then v0 again, which no order
   * explains: the search must try every subset of the puts before it can say so (millions of
   * configurations), and no quiescent point cuts the history into easier windows.
   */
  private static TestHistory pathological() {
    return pathologicalPrefix().get("v0", 20, 21).get("v1", 22, 23).get("v0", 24, 25);
  }

  private static TestHistory pathologicalPrefix() {
    var h = new TestHistory();
    for (int i = 0; i < 20; i++) {
      h.put("v" + i, i, 100 + i);
    }
    return h;
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
    assertThat(result.keys().get(0).stuckAt()).isNotNull();
  }

  @Test
  void check_violationAfterPathologicalPrefix_isProvedByQuiescentWindow() {
    // the search passes the prefix, gets stuck at the stale read, and runs out of budget trying
    // the orders of the 20 puts; the stretch after them is a violation on its own
    var h = pathologicalPrefix().put("a", 200, 201).put("b", 202, 203).get("a", 204, 205);
    var checker = new LinearizabilityChecker(new CheckBudget(20_000, Duration.ofMinutes(1)));

    KeyResult result = checker.check(h.ops()).keys().get(0);

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.VIOLATION);
    assertThat(result.statesExplored()).isEqualTo(20_001);
    assertThat(result.counterexample().operations())
        .extracting(op -> op.describe())
        .containsExactly("put(k, b) -> ok", "get(k) -> a");
    LinearizabilityCheckerTest.assertOneMinimal(checker, result.counterexample());
  }

  @ParameterizedTest
  @ValueSource(longs = {601, 602, 603, 604, 605})
  void check_linearizableHistoryOverBudget_isNeverAViolation(long seed) {
    var history = new SimulatedRegisters(10, 1, 2_000, 0.1, 0.02).operations(seed);
    var checker = new LinearizabilityChecker(new CheckBudget(500, Duration.ofMinutes(1)));

    CheckResult result = checker.check(history);

    assertThat(result.verdict()).isIn(Verdict.LINEARIZABLE, Verdict.UNKNOWN);
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
