package ringkv.chaos.history;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One line of a history: an invocation or a completion of one operation by one process.
 *
 * @param index position in the history, 0-based and increasing; it defines real-time order
 * @param timeNanos monotonic nanoseconds since the start of the run (for people; order is {@code
 *     index})
 * @param process the client thread; it runs one operation at a time
 * @param type invocation or completion kind
 * @param function the operation ({@code f} in JSON)
 * @param key the register
 * @param value put and cas: the value written; ok get: the value read, null for absent
 * @param expected cas only: the value the register must hold for the cas to succeed
 * @param succeeded ok cas only: whether the register held {@code expected}
 * @param extra optional fields the checker ignores ({@code error}, {@code node}, ...), as strings
 */
public record Event(
    long index,
    long timeNanos,
    int process,
    EventType type,
    OpFunction function,
    String key,
    @Nullable String value,
    @Nullable String expected,
    @Nullable Boolean succeeded,
    Map<String, String> extra) {

  /** JSON field names of the format; {@link #extra} may not use them. */
  public static final Set<String> FIELDS =
      Set.of("index", "time", "process", "type", "f", "key", "value", "expected", "succeeded");

  public Event {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    if (timeNanos < 0) {
      throw new IllegalArgumentException("time must be >= 0, got " + timeNanos);
    }
    if (process < 0) {
      throw new IllegalArgumentException("process must be >= 0, got " + process);
    }
    extra = Map.copyOf(extra);
    for (String name : extra.keySet()) {
      if (FIELDS.contains(name)) {
        throw new IllegalArgumentException("extra may not redefine the field '" + name + "'");
      }
    }
    boolean writes = function == OpFunction.PUT || function == OpFunction.CAS;
    if (type == EventType.INVOKE && writes && value == null) {
      throw new IllegalArgumentException(function.jsonName() + " invoke needs a value");
    }
    if (function == OpFunction.DELETE && value != null) {
      throw new IllegalArgumentException("delete has no value, got '" + value + "'");
    }
    if (function == OpFunction.GET && type != EventType.OK && value != null) {
      throw new IllegalArgumentException(
          "get " + type.jsonName() + " has no value, got '" + value + "'");
    }
    if (function == OpFunction.CAS) {
      if (expected == null && type == EventType.INVOKE) {
        throw new IllegalArgumentException("cas invoke needs expected");
      }
    } else if (expected != null) {
      throw new IllegalArgumentException(
          function.jsonName() + " has no expected, got '" + expected + "'");
    }
    boolean casOk = function == OpFunction.CAS && type == EventType.OK;
    if (casOk && succeeded == null) {
      throw new IllegalArgumentException("cas ok needs succeeded");
    }
    if (!casOk && succeeded != null) {
      throw new IllegalArgumentException(
          "only cas ok has succeeded, got it on " + function.jsonName() + " " + type.jsonName());
    }
  }

  /** Whether this is an invocation. */
  public boolean isInvoke() {
    return type == EventType.INVOKE;
  }
}
