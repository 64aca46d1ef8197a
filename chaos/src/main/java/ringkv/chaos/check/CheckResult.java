package ringkv.chaos.check;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The check of a whole history: one result per key, keys sorted. Linearizability is local, so the
 * history is linearizable exactly when every key is.
 */
public record CheckResult(List<KeyResult> keys) {

  public CheckResult {
    keys = List.copyOf(keys);
  }

  /** Violation if any key is one; else unknown if any key is; else linearizable. */
  public Verdict verdict() {
    if (keys.stream().anyMatch(k -> k.verdict() == Verdict.VIOLATION)) {
      return Verdict.VIOLATION;
    }
    if (keys.stream().anyMatch(k -> k.verdict() == Verdict.UNKNOWN)) {
      return Verdict.UNKNOWN;
    }
    return Verdict.LINEARIZABLE;
  }

  /** Keys with the given verdict. */
  public List<KeyResult> keysWith(Verdict verdict) {
    return keys.stream().filter(k -> k.verdict() == verdict).toList();
  }

  /** A summary line, then one block per key (violations with their counterexample). */
  public String render() {
    String summary =
        String.format(
            "%s: %d keys, %d linearizable, %d violations, %d unknown",
            verdict(),
            keys.size(),
            keysWith(Verdict.LINEARIZABLE).size(),
            keysWith(Verdict.VIOLATION).size(),
            keysWith(Verdict.UNKNOWN).size());
    return summary + "\n" + keys.stream().map(KeyResult::render).collect(Collectors.joining("\n"));
  }

  /** The result as one JSON object (format in docs/chaos.md ("Histories and the checker")). */
  public String toJson() {
    return ResultJson.encode(this);
  }
}
