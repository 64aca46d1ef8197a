package ringkv.chaos.run;

import java.util.List;
import ringkv.chaos.fault.FaultWindow;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * How the clients fared during one fault: operations that completed inside the window, how many
 * of them succeeded, and how long after the heal the first write succeeded.
 *
 * @param completed operations whose completion fell inside the window (info ones included)
 * @param succeeded those that completed ok
 * @param recoveryMillis from the heal to the first ok write completed after it; -1 if none did
 */
public record WindowStats(FaultWindow window, long completed, long succeeded, long recoveryMillis) {
  /** Share of the window's completions that were ok, 0..1; 1 when nothing completed (nothing was refused either). */
  public double availability() {
    return completed == 0 ? 1.0 : (double) succeeded / completed;
  }

  /** Operations that completed ok per second of the window: with {@link #availability()} it shows stalls, not only errors. */
  public double okPerSecond() {
    double seconds = (window.healedNanos() - window.injectedNanos()) / 1e9;
    return seconds <= 0 ? 0 : succeeded / seconds;
  }

  /** Ok completions per second outside every fault window, before {@code endNanos}: the clients' pace without faults. */
  public static double okPerSecondOutside(List<FaultWindow> windows, List<Operation> operations, long endNanos) {
    long outsideNanos = endNanos - windows.stream().mapToLong(w -> w.healedNanos() - w.injectedNanos()).sum();
    long ok = operations.stream().filter(o -> o.outcome() == Outcome.OK && o.completeTimeNanos() != Operation.NO_COMPLETION
        && o.completeTimeNanos() <= endNanos && windows.stream().noneMatch(w -> w.covers(o.completeTimeNanos()))).count();
    return outsideNanos <= 0 ? 0 : ok / (outsideNanos / 1e9);
  }

  /** The statistics of {@code window} over {@code operations} (all keys). */
  public static WindowStats of(FaultWindow window, List<Operation> operations) {
    long completed = 0;
    long succeeded = 0;
    long firstWriteAfterHeal = Long.MAX_VALUE;
    for (Operation op : operations) {
      if (op.completeTimeNanos() == Operation.NO_COMPLETION) {
        continue;
      }
      if (window.covers(op.completeTimeNanos())) {
        completed++;
        if (op.outcome() == Outcome.OK) {
          succeeded++;
        }
      }
      if (op.outcome() == Outcome.OK && op.function() != OpFunction.GET && op.completeTimeNanos() >= window.healedNanos()) {
        firstWriteAfterHeal = Math.min(firstWriteAfterHeal, op.completeTimeNanos());
      }
    }
    long recovery = firstWriteAfterHeal == Long.MAX_VALUE ? -1 : (firstWriteAfterHeal - window.healedNanos()) / 1_000_000;
    return new WindowStats(window, completed, succeeded, recovery);
  }
}
