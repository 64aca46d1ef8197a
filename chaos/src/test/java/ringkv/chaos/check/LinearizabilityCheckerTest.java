package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.chaos.history.Operation;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker =
      new LinearizabilityChecker(new CheckBudget(1_000_000, Duration.ofSeconds(20)));

  private KeyResult check(TestHistory h) {
    CheckResult result = checker.check(h.ops());
    assertThat(result.keys()).hasSize(1);
    return result.keys().get(0);
  }

  private KeyResult violation(TestHistory h) {
    KeyResult result = check(h);
    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.VIOLATION);
    assertOneMinimal(checker, result.counterexample());
    return result;
  }

  /** The counterexample is a violation, and removing any one operation, or the start, is not. */
  static void assertOneMinimal(LinearizabilityChecker checker, Counterexample c) {
    assertThat(c.minimal()).isTrue();
    assertThat(checker.checkSubHistory(c.operations(), c.startsAbsent()))
        .as("counterexample itself\n" + c.render())
        .isEqualTo(Verdict.VIOLATION);
    if (c.startsAbsent()) {
      assertThat(checker.checkSubHistory(c.operations(), false))
          .as("without the absent start\n" + c.render())
          .isEqualTo(Verdict.LINEARIZABLE);
    }
    for (Operation removed : c.operations()) {
      var rest = new ArrayList<>(c.operations());
      rest.remove(removed);
      assertThat(checker.checkSubHistory(rest, c.startsAbsent()))
          .as("without " + removed.describe() + "\n" + c.render())
          .isEqualTo(Verdict.LINEARIZABLE);
    }
  }

  private static List<String> described(Counterexample c) {
    return c.operations().stream().map(Operation::describe).toList();
  }

  @Test
  void check_sequentialOperations_isLinearizable() {
    var h =
        new TestHistory()
            .get(null, 0, 1)
            .put("v1", 2, 3)
            .get("v1", 4, 5)
            .cas("v1", "v2", true, 6, 7)
            .cas("v1", "v3", false, 8, 9)
            .get("v2", 10, 11)
            .delete(12, 13)
            .get(null, 14, 15)
            .put("v4", 16, 17)
            .get("v4", 18, 19);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_getConcurrentWithPut_seesOldOrNewValue() {
    var h =
        new TestHistory()
            .put("v1", 0, 1)
            .put("v2", 2, 10)
            .get("v1", 3, 4) // before the put took effect
            .get("v2", 5, 6) // after
            .get("v2", 7, 12);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_concurrentGetsSeeNewThenOld_isViolationEvenWhilePutIsRunning() {
    var h = new TestHistory().put("v1", 0, 1).put("v2", 2, 20).get("v2", 3, 4).get("v1", 5, 6);

    KeyResult result = violation(h);
    assertThat(described(result.counterexample())).containsExactly("get(k) -> v2", "get(k) -> v1");
    assertThat(result.counterexample().explanation()).contains("no write in between");
  }

  @Test
  void explain_overlappingGetsReadingDifferentValues_saysNoWriteBetween() {
    // as a window cut out of a longer history (any start value) can end up
    var all =
        new TestHistory().put("v1", 0, 1).put("v2", 2, 3).get("v1", 4, 7).get("v2", 5, 8).ops();
    var ops = all.subList(2, 4);

    assertThat(checker.checkSubHistory(ops, false)).isEqualTo(Verdict.VIOLATION);
    assertThat(Explainer.explain(ops, false, all))
        .isEqualTo(
            "get #4 (p2) read v1 and get #5 (p3) read v2 while they overlapped, with no write"
                + " that either could have seen between");
  }

  @Test
  void check_casSuccessAndFailure_isLinearizable() {
    var h =
        new TestHistory()
            .put("a", 0, 1)
            .cas("a", "b", true, 2, 5)
            .cas("a", "c", false, 3, 6) // lost the race
            .cas("x", "y", false, 7, 8)
            .get("b", 9, 10);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_infoWriteLaterVisible_isLinearizable() {
    var h =
        new TestHistory()
            .put("v1", 0, 1)
            .infoPut("v2", 2, -1)
            .get("v1", 3, 4)
            .get("v2", 10, 11)
            .get("v2", 12, 13);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_infoWriteTakingEffectAfterItsInfoCompletion_isLinearizable() {
    // a timed-out request may still be applied later; info means "any time after invocation"
    var h = new TestHistory().infoPut("v1", 0, 1).put("v2", 2, 3).get("v2", 4, 5).get("v1", 6, 7);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_infoWriteNeverVisible_isLinearizable() {
    var h =
        new TestHistory()
            .put("v1", 0, 1)
            .infoPut("v2", 2, 3)
            .infoDelete(4, -1)
            .infoCas("v1", "v3", 5, -1)
            .get("v1", 6, 7)
            .infoGet(8, -1)
            .get("v1", 9, 10);

    KeyResult result = check(h);
    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.searchedOperations()).as("unobservable info writes pruned").isEqualTo(3);
  }

  @Test
  void check_infoCasSeenByLaterCas_isLinearizable() {
    var h =
        new TestHistory()
            .put("a", 0, 1)
            .infoCas("a", "b", 2, 3)
            .cas("b", "c", true, 4, 5)
            .get("c", 6, 7);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_failedOperations_areIgnored() {
    var h =
        new TestHistory()
            .put("v1", 0, 1)
            .failPut("v2", 2, 3)
            .failCas("v1", "v3", 4, 5)
            .get("v1", 6, 7);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_readOfFailedWrite_isViolation() {
    var h = new TestHistory().put("v1", 0, 1).failPut("v2", 2, 3).get("v2", 4, 5);

    assertThat(check(h).verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void check_deleteThenGet_readsAbsent() {
    var h = new TestHistory().put("v1", 0, 1).delete(2, 3).get(null, 4, 5);

    assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void check_getAfterDeleteReadsOldValue_isViolation() {
    var h = new TestHistory().put("v1", 0, 1).delete(2, 3).get("v1", 4, 5);

    KeyResult result = violation(h);
    assertThat(described(result.counterexample()))
        .containsExactly("delete(k) -> ok", "get(k) -> v1");
    assertThat(result.counterexample().explanation()).contains("stale read");
  }

  @Test
  void check_staleRead_isViolationWithTwoOperationCounterexample() {
    var h =
        new TestHistory()
            .put("v1", 0, 1)
            .get("v1", 2, 3)
            .put("v2", 4, 5)
            .get("v1", 6, 7)
            .put("v3", 8, 9);

    KeyResult result = violation(h);
    Counterexample c = result.counterexample();
    assertThat(described(c)).containsExactly("put(k, v2) -> ok", "get(k) -> v1");
    assertThat(c.startsAbsent()).isFalse();
    assertThat(c.explanation()).contains("stale read").contains("v1").contains("v2");
  }

  @Test
  void check_lostUpdate_isViolation() {
    var h =
        new TestHistory()
            .put("a", 0, 1)
            .cas("a", "b", true, 2, 5)
            .cas("a", "c", true, 3, 6)
            .get("c", 7, 8);

    KeyResult result = violation(h);
    assertThat(described(result.counterexample()))
        .containsExactly("cas(k, a -> b) -> ok", "cas(k, a -> c) -> ok");
    assertThat(result.counterexample().explanation()).contains("lost update");
  }

  @Test
  void check_writeSeenThenUnseen_isViolation() {
    var h = new TestHistory().put("v1", 0, 1).put("v2", 2, 3).get("v2", 4, 5).get("v1", 6, 7);

    KeyResult result = violation(h);
    assertThat(described(result.counterexample()))
        .containsExactly("put(k, v2) -> ok", "get(k) -> v1");
  }

  @Test
  void check_readOfValueNeverWritten_isViolation() {
    var h = new TestHistory().put("v1", 0, 1).get("v9", 2, 3);

    KeyResult result = violation(h);
    assertThat(result.counterexample().explanation())
        .contains("no operation on the key ever wrote");
  }

  @Test
  void check_readBeforeAnyWrite_needsTheAbsentStart() {
    var h = new TestHistory().get("v1", 0, 1).put("v1", 2, 3);

    KeyResult result = violation(h);
    assertThat(result.counterexample().startsAbsent()).isTrue();
    assertThat(described(result.counterexample())).containsExactly("get(k) -> v1");
  }

  @Test
  void check_casFailedWhenValueMustEqualExpected_isViolation() {
    var h = new TestHistory().put("a", 0, 1).cas("a", "b", false, 2, 3).get("a", 4, 5);

    KeyResult result = violation(h);
    assertThat(described(result.counterexample()))
        .containsExactly("put(k, a) -> ok", "cas(k, a -> b) -> failed (value != a)");
    assertThat(result.counterexample().explanation()).contains("failed although");
  }

  @Test
  void check_violationOnOneKey_leavesOtherKeysLinearizable() {
    var h =
        new TestHistory()
            .on("a")
            .put("v1", 0, 1)
            .put("v2", 2, 3)
            .get("v1", 4, 5)
            .on("b")
            .put("w1", 6, 7)
            .get("w1", 8, 9);

    CheckResult result = checker.check(h.ops());

    assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(result.keysWith(Verdict.VIOLATION)).extracting(KeyResult::key).containsExactly("a");
    assertThat(result.keysWith(Verdict.LINEARIZABLE))
        .extracting(KeyResult::key)
        .containsExactly("b");
    assertThat(result.render()).contains("key a: VIOLATION").contains("stale read");
    assertThat(result.toJson())
        .contains("\"verdict\":\"VIOLATION\"")
        .contains("\"counterexample\"");
  }

  @Test
  void check_violationAfterLongLinearizablePrefix_givesSmallCounterexample() {
    var h = new TestHistory();
    long t = 0;
    for (int i = 0; i < 2_000; i++) {
      h.put("v" + i, t, t + 3).get("v" + i, t + 1, t + 4); // overlapping pairs
      t += 5;
    }
    h.get("v1500", t, t + 1);

    KeyResult result = violation(h);
    assertThat(result.counterexample().operations()).hasSize(2);
  }
}
