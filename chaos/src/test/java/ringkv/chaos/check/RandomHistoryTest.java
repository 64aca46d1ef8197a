package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/** Seeded properties: histories of a real register pass; a read no register could give fails. */
class RandomHistoryTest {
  private final LinearizabilityChecker checker =
      new LinearizabilityChecker(new CheckBudget(2_000_000, Duration.ofSeconds(20)));

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void check_sequentialHistoryOfTheModel_isLinearizable(long seed) {
    var history = new SimulatedRegisters(1, 3, 300, 0.05, 0.05).operations(seed);

    CheckResult result = checker.check(history);

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @ParameterizedTest
  @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108, 109, 110})
  void check_concurrentHistoryOfARealRegister_isLinearizable(long seed) {
    var history = new SimulatedRegisters(10, 4, 3_000, 0.05, 0.03).operations(seed);

    CheckResult result = checker.check(history);

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @ParameterizedTest
  @ValueSource(longs = {201, 202, 203, 204, 205})
  void check_manyUnknownOutcomes_isLinearizable(long seed) {
    var history = new SimulatedRegisters(6, 2, 600, 0.3, 0.05).operations(seed);

    CheckResult result = checker.check(history);

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @ParameterizedTest
  @ValueSource(longs = {301, 302, 303, 304, 305, 306, 307, 308, 309, 310})
  void check_readMutatedToAValueWrittenOnlyLater_isViolationWithOneMinimalCounterexample(
      long seed) {
    var history = new ArrayList<>(new SimulatedRegisters(8, 3, 1_000, 0.05, 0.03).operations(seed));
    var random = new SplittableRandom(seed);
    int mutated = -1;
    while (mutated < 0) {
      int g = random.nextInt(history.size());
      Operation get = history.get(g);
      if (get.function() != OpFunction.GET || get.outcome() != Outcome.OK) {
        continue;
      }
      // a value first written by an operation invoked after the get returned: no register shows it
      for (Operation write : history) {
        if (write.key().equals(get.key())
            && write.value() != null
            && write.invokeIndex() > get.completeIndex()) {
          history.set(g, withRead(get, write.value()));
          mutated = g;
          break;
        }
      }
    }

    CheckResult result = checker.check(history);

    assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
    KeyResult bad = result.keysWith(Verdict.VIOLATION).get(0);
    assertThat(bad.key()).isEqualTo(history.get(mutated).key());
    LinearizabilityCheckerTest.assertOneMinimal(checker, bad.counterexample());
    assertThat(bad.counterexample().operations()).contains(history.get(mutated));
  }

  private static Operation withRead(Operation get, String read) {
    return new Operation(
        get.process(),
        get.function(),
        get.key(),
        null,
        null,
        Outcome.OK,
        read,
        null,
        get.invokeIndex(),
        get.invokeTimeNanos(),
        get.completeIndex(),
        get.completeTimeNanos());
  }

  @ParameterizedTest
  @ValueSource(longs = {401, 402, 403, 404, 405, 406, 407, 408, 409, 410})
  void check_smallRandomHistoryWithRepeatedValues_agreesWithBruteForce(long seed) {
    agreeWithBruteForce(seed, false);
  }

  @ParameterizedTest
  @ValueSource(longs = {501, 502, 503, 504, 505, 506, 507, 508, 509, 510})
  void check_smallRandomHistoryWithUniqueValues_agreesWithBruteForce(long seed) {
    agreeWithBruteForce(seed, true);
  }

  private void agreeWithBruteForce(long seed, boolean uniqueValues) {
    var random = new SplittableRandom(seed);
    int violations = 0;
    for (int round = 0; round < 300; round++) {
      List<Operation> ops = BruteForce.randomHistory(random, 1 + random.nextInt(8), uniqueValues);
      boolean expected = BruteForce.isLinearizable(ops, true);

      Verdict verdict = checker.checkKey("k", ops).verdict();
      Verdict fromAnyValue = checker.checkSubHistory(ops, false);

      assertThat(verdict)
          .as("round %d: %s", round, ops)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.VIOLATION);
      assertThat(fromAnyValue)
          .as("from any value, round %d: %s", round, ops)
          .isEqualTo(
              BruteForce.isLinearizable(ops, false) ? Verdict.LINEARIZABLE : Verdict.VIOLATION);
      violations += expected ? 0 : 1;
    }
    assertThat(violations).as("the generator makes both kinds").isBetween(30, 270);
  }
}
