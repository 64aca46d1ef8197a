package ringkv.chaos.check;

import java.util.Comparator;
import java.util.List;
import ringkv.chaos.history.Operation;

/**
 * A sub-history of one key that is not linearizable: the evidence behind a violation.
 *
 * <p>It is checked as its own history. When {@code startsAbsent} is true the register starts
 * absent, as at the start of the run; when false it may start with any value, so the operations
 * before it cannot be the reason.
 *
 * @param operations the operations, in invocation order
 * @param startsAbsent whether the contradiction needs the key's initial state (absent)
 * @param minimal whether shrinking finished: removing any one operation (or the initial state)
 *     makes it linearizable; false if the budget ran out first
 * @param explanation one line saying what went wrong, as far as a pattern is recognised
 */
public record Counterexample(
    List<Operation> operations, boolean startsAbsent, boolean minimal, String explanation) {

  public Counterexample {
    operations =
        operations.stream().sorted(Comparator.comparingLong(Operation::invokeIndex)).toList();
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("operations must not be empty");
    }
  }

  /** The explanation, then one line per operation in invocation order with its times. */
  public String render() {
    var text = new StringBuilder();
    text.append("  ").append(explanation).append('\n');
    text.append(
        minimal
            ? "  minimal: removing any one line below makes it linearizable\n"
            : "  not shrunk to minimal (budget exceeded)\n");
    if (startsAbsent) {
      text.append("  the key starts absent (part of the contradiction)\n");
    }
    text.append(
        String.format(
            "  %12s %12s %8s %8s  %s%n",
            "invoke ms", "return ms", "process", "index", "operation"));
    for (Operation op : operations) {
      text.append(
          String.format(
              "  %12s %12s %8s %8s  %s%n",
              millis(op.invokeTimeNanos()),
              op.hasCompletion() ? millis(op.completeTimeNanos()) : "-",
              "p" + op.process(),
              "#" + op.invokeIndex(),
              op.describe()));
    }
    return text.toString().stripTrailing();
  }

  private static String millis(long nanos) {
    return String.format("%.3f", nanos / 1e6);
  }
}
