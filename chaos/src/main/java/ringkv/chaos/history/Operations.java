package ringkv.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Pairs invocations with completions, and splits operations by key. */
public final class Operations {
  private Operations() {}

  /**
   * Pairs each invocation with the next completion of the same process. An {@code info} completion
   * frees the process (it may be reused); an invocation still open at the end becomes an {@link
   * Outcome#INFO} operation without completion.
   *
   * @param events in index order
   * @return operations in invocation order
   * @throws IllegalArgumentException naming the event index when the events cannot be paired
   */
  public static List<Operation> pair(List<Event> events) {
    try {
      return pairOrThrow(events);
    } catch (PairingException e) {
      throw new IllegalArgumentException(
          "event index " + events.get(e.position).index() + ": " + e.getMessage(), e);
    }
  }

  /** {@link #pair}, with errors naming the position in {@code events} (for line numbers). */
  static List<Operation> pairOrThrow(List<Event> events) throws PairingException {
    var open = new HashMap<Integer, Event>();
    var invocationOrder = new ArrayList<Event>();
    var completions = new HashMap<Event, Event>();
    long lastIndex = -1;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (e.index() <= lastIndex) {
        throw new PairingException(
            i, "index " + e.index() + " does not increase (previous " + lastIndex + ")");
      }
      lastIndex = e.index();
      Event invocation = open.get(e.process());
      if (e.isInvoke()) {
        if (invocation != null) {
          throw new PairingException(
              i,
              "process "
                  + e.process()
                  + " invokes while its operation at index "
                  + invocation.index()
                  + " is open");
        }
        open.put(e.process(), e);
        invocationOrder.add(e);
        continue;
      }
      if (invocation == null) {
        throw new PairingException(
            i, "process " + e.process() + " completes an operation it never invoked");
      }
      String mismatch = mismatch(invocation, e);
      if (mismatch != null) {
        throw new PairingException(
            i,
            "completion does not match the invocation at index "
                + invocation.index()
                + ": "
                + mismatch);
      }
      open.remove(e.process());
      completions.put(invocation, e);
    }
    var operations = new ArrayList<Operation>(invocationOrder.size());
    for (Event invocation : invocationOrder) {
      operations.add(toOperation(invocation, completions.get(invocation)));
    }
    return operations;
  }

  private static @Nullable String mismatch(Event invocation, Event completion) {
    if (invocation.function() != completion.function()) {
      return "f " + completion.function().jsonName() + " != " + invocation.function().jsonName();
    }
    if (!invocation.key().equals(completion.key())) {
      return "key " + completion.key() + " != " + invocation.key();
    }
    boolean writes = invocation.function() != OpFunction.GET;
    if (writes && completion.value() != null && !completion.value().equals(invocation.value())) {
      return "value " + completion.value() + " != " + invocation.value();
    }
    if (completion.expected() != null && !completion.expected().equals(invocation.expected())) {
      return "expected " + completion.expected() + " != " + invocation.expected();
    }
    return null;
  }

  private static Operation toOperation(Event invocation, @Nullable Event completion) {
    if (completion == null) {
      return new Operation(
          invocation.process(),
          invocation.function(),
          invocation.key(),
          invocation.value(),
          invocation.expected(),
          Outcome.INFO,
          null,
          null,
          invocation.index(),
          invocation.timeNanos(),
          Operation.NO_COMPLETION,
          Operation.NO_COMPLETION);
    }
    Outcome outcome =
        switch (completion.type()) {
          case OK -> Outcome.OK;
          case FAIL -> Outcome.FAIL;
          case INFO -> Outcome.INFO;
          case INVOKE -> throw new AssertionError("an invocation is not a completion");
        };
    boolean okGet = outcome == Outcome.OK && invocation.function() == OpFunction.GET;
    return new Operation(
        invocation.process(),
        invocation.function(),
        invocation.key(),
        invocation.value(),
        invocation.expected(),
        outcome,
        okGet ? completion.value() : null,
        completion.succeeded(),
        invocation.index(),
        invocation.timeNanos(),
        completion.index(),
        completion.timeNanos());
  }

  /** Operations grouped by key (keys sorted), each group in invocation order. */
  public static Map<String, List<Operation>> byKey(List<Operation> operations) {
    var byKey = new TreeMap<String, List<Operation>>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    byKey.replaceAll(
        (k, ops) -> {
          ops.sort(Comparator.comparingLong(Operation::invokeIndex));
          return List.copyOf(ops);
        });
    return byKey;
  }

  /** A pairing error at a position in the event list. */
  static final class PairingException extends Exception {
    private static final long serialVersionUID = 1L;
    final int position;

    PairingException(int position, String message) {
      super(message);
      this.position = position;
    }
  }
}
