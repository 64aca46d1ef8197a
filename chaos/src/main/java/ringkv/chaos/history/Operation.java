package ringkv.chaos.history;

import org.jspecify.annotations.Nullable;

/**
 * An invocation paired with its completion (or with none).
 *
 * @param process the client thread that ran it
 * @param function get, put, delete or cas
 * @param key the register
 * @param value put and cas: the value written; null for get and delete
 * @param expected cas: the value compared with; null otherwise
 * @param outcome ok, fail, or info (info also when no completion was recorded)
 * @param read ok get: the value read, null for absent; null otherwise
 * @param succeeded ok cas: whether it succeeded; null otherwise
 * @param invokeIndex the invocation's event index; it identifies the operation in a history
 * @param invokeTimeNanos the invocation's time
 * @param completeIndex the completion's event index, or {@link #NO_COMPLETION}
 * @param completeTimeNanos the completion's time, or {@link #NO_COMPLETION}
 */
public record Operation(
    int process,
    OpFunction function,
    String key,
    @Nullable String value,
    @Nullable String expected,
    Outcome outcome,
    @Nullable String read,
    @Nullable Boolean succeeded,
    long invokeIndex,
    long invokeTimeNanos,
    long completeIndex,
    long completeTimeNanos) {

  /** {@link #completeIndex} and {@link #completeTimeNanos} of an operation never completed. */
  public static final long NO_COMPLETION = -1;

  public Operation {
    boolean writes = function == OpFunction.PUT || function == OpFunction.CAS;
    if (writes != (value != null)) {
      throw new IllegalArgumentException(
          function.jsonName() + (writes ? " needs a value" : " has no value, got '" + value + "'"));
    }
    if ((function == OpFunction.CAS) != (expected != null)) {
      throw new IllegalArgumentException(
          "expected must be set exactly for cas, got " + expected + " on " + function.jsonName());
    }
    if (read != null && !(function == OpFunction.GET && outcome == Outcome.OK)) {
      throw new IllegalArgumentException("only an ok get has a read value, got '" + read + "'");
    }
    if ((function == OpFunction.CAS && outcome == Outcome.OK) != (succeeded != null)) {
      throw new IllegalArgumentException(
          "succeeded must be set exactly for an ok cas, got " + succeeded);
    }
    if (invokeIndex < 0 || invokeTimeNanos < 0) {
      throw new IllegalArgumentException(
          "invokeIndex and invokeTimeNanos must be >= 0, got "
              + invokeIndex
              + " and "
              + invokeTimeNanos);
    }
    if (completeIndex == NO_COMPLETION) {
      if (outcome != Outcome.INFO || completeTimeNanos != NO_COMPLETION) {
        throw new IllegalArgumentException(
            "an operation without completion is info with no completion time");
      }
    } else if (completeIndex <= invokeIndex || completeTimeNanos < invokeTimeNanos) {
      throw new IllegalArgumentException(
          "completion (index "
              + completeIndex
              + ", time "
              + completeTimeNanos
              + ") must follow invocation (index "
              + invokeIndex
              + ", time "
              + invokeTimeNanos
              + ")");
    }
  }

  /** Whether a completion event was recorded (an info one included). */
  public boolean hasCompletion() {
    return completeIndex != NO_COMPLETION;
  }

  /** Whether this operation may change the register (put, delete, cas). */
  public boolean isWrite() {
    return function != OpFunction.GET;
  }

  /** A short form such as {@code put(k7, c2-9) -> ok} or {@code get(k7) -> absent}. */
  public String describe() {
    String call =
        switch (function) {
          case GET -> "get(" + key + ")";
          case PUT -> "put(" + key + ", " + value + ")";
          case DELETE -> "delete(" + key + ")";
          case CAS -> "cas(" + key + ", " + expected + " -> " + value + ")";
        };
    String result =
        switch (outcome) {
          case FAIL -> "fail";
          case INFO -> hasCompletion() ? "info (unknown)" : "no completion (unknown)";
          case OK ->
              switch (function) {
                case GET -> read == null ? "absent" : read;
                case CAS ->
                    Boolean.TRUE.equals(succeeded) ? "ok" : "failed (value != " + expected + ")";
                default -> "ok";
              };
        };
    return call + " -> " + result;
  }
}
