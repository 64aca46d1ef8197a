package ringkv.chaos.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * Builds hand-made histories as operations. Times are ticks: a tick is the event index and one
 * millisecond; ticks must be distinct. Each operation gets its own process.
 */
final class TestHistory {
  private final List<Operation> ops = new ArrayList<>();
  private final Set<Long> ticks = new HashSet<>();
  private String key = "k";

  /** Operations added from now on are on {@code key}. */
  TestHistory on(String key) {
    this.key = key;
    return this;
  }

  TestHistory put(String value, long invoke, long complete) {
    return add(OpFunction.PUT, value, null, Outcome.OK, null, null, invoke, complete);
  }

  TestHistory delete(long invoke, long complete) {
    return add(OpFunction.DELETE, null, null, Outcome.OK, null, null, invoke, complete);
  }

  /** An ok get that read {@code read} (null: absent). */
  TestHistory get(@Nullable String read, long invoke, long complete) {
    return add(OpFunction.GET, null, null, Outcome.OK, read, null, invoke, complete);
  }

  TestHistory cas(String expected, String value, boolean succeeded, long invoke, long complete) {
    return add(OpFunction.CAS, value, expected, Outcome.OK, null, succeeded, invoke, complete);
  }

  /** A put with an info completion at {@code complete}, or none if it is -1. */
  TestHistory infoPut(String value, long invoke, long complete) {
    return add(OpFunction.PUT, value, null, Outcome.INFO, null, null, invoke, complete);
  }

  TestHistory infoDelete(long invoke, long complete) {
    return add(OpFunction.DELETE, null, null, Outcome.INFO, null, null, invoke, complete);
  }

  TestHistory infoCas(String expected, String value, long invoke, long complete) {
    return add(OpFunction.CAS, value, expected, Outcome.INFO, null, null, invoke, complete);
  }

  TestHistory infoGet(long invoke, long complete) {
    return add(OpFunction.GET, null, null, Outcome.INFO, null, null, invoke, complete);
  }

  TestHistory failPut(String value, long invoke, long complete) {
    return add(OpFunction.PUT, value, null, Outcome.FAIL, null, null, invoke, complete);
  }

  TestHistory failCas(String expected, String value, long invoke, long complete) {
    return add(OpFunction.CAS, value, expected, Outcome.FAIL, null, null, invoke, complete);
  }

  List<Operation> ops() {
    return List.copyOf(ops);
  }

  private TestHistory add(
      OpFunction f,
      @Nullable String value,
      @Nullable String expected,
      Outcome outcome,
      @Nullable String read,
      @Nullable Boolean succeeded,
      long invoke,
      long complete) {
    claim(invoke);
    if (complete != -1) {
      claim(complete);
    }
    long done = complete == -1 ? Operation.NO_COMPLETION : complete;
    long doneNanos = complete == -1 ? Operation.NO_COMPLETION : complete * 1_000_000;
    ops.add(
        new Operation(
            ops.size(),
            f,
            key,
            value,
            expected,
            outcome,
            read,
            succeeded,
            invoke,
            invoke * 1_000_000,
            done,
            doneNanos));
    return this;
  }

  private void claim(long tick) {
    if (!ticks.add(tick)) {
      throw new IllegalArgumentException("tick " + tick + " used twice");
    }
  }
}
