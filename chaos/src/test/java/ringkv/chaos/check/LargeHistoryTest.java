package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.chaos.history.Operation;

/**
 * A history the size of a long chaos run, checked end to end. It prints the checking rate (to
 * target/surefire-reports/ringkv.chaos.check.LargeHistoryTest-output.txt) and asserts no timing.
 * {@code -Dringkv.chaos.largeHistoryOps=N} changes the size (default 40,000).
 */
class LargeHistoryTest {

  @Test
  void check_largeConcurrentHistory_isLinearizable() {
    int size = Integer.getInteger("ringkv.chaos.largeHistoryOps", 40_000);
    List<Operation> history = new SimulatedRegisters(10, 8, size, 0.02, 0.02).operations(42);
    var checker = new LinearizabilityChecker(CheckBudget.DEFAULT);

    long start = System.nanoTime();
    CheckResult result = checker.check(history);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
    long states = result.keys().stream().mapToLong(KeyResult::statesExplored).sum();
    System.out.printf(
        "checked %d operations on %d keys in %.3f s: %.0f operations/s, %d states%n%s%n",
        history.size(),
        result.keys().size(),
        seconds,
        history.size() / seconds,
        states,
        result.render());
  }
}
