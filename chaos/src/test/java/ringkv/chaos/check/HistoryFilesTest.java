package ringkv.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ringkv.chaos.history.HistoryReader;

/** The hand-written JSON-lines histories under test resources, read and checked end to end. */
class HistoryFilesTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(CheckBudget.DEFAULT);

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(HistoryFilesTest.class.getResource("/histories/" + name).toURI());
  }

  @Test
  void check_linearizableFile_passesEveryKey() throws Exception {
    CheckResult result =
        checker.check(HistoryReader.readOperations(resource("linearizable-two-keys.jsonl")));

    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.keys()).extracting(KeyResult::key).containsExactly("k1", "k2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "violation-stale-read.jsonl",
        "violation-lost-update.jsonl",
        "violation-cas-failed-on-expected.jsonl"
      })
  void check_violationFile_isViolationWithMinimalCounterexample(String file) throws Exception {
    CheckResult result = checker.check(HistoryReader.readOperations(resource(file)));

    assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
    Counterexample c = result.keysWith(Verdict.VIOLATION).get(0).counterexample();
    LinearizabilityCheckerTest.assertOneMinimal(checker, c);
    assertThat(c.operations()).hasSize(2);
  }

  @Test
  void render_staleRead_showsTimesAndExplanation() throws Exception {
    CheckResult result =
        checker.check(HistoryReader.readOperations(resource("violation-stale-read.jsonl")));

    assertThat(result.render())
        .contains("key k7: VIOLATION")
        .contains("get #4 (p1) read c1-4 after put(c2-9) #2 (p3) had completed")
        .contains("183.000      184.201       p3       #2  put(k7, c2-9) -> ok")
        .contains("190.000      190.000       p1       #4  get(k7) -> c1-4");
  }
}
