package ringkv.chaos.history;

import java.util.Locale;

/** The {@code type} of a history event: an invocation or one of the three completions. */
public enum EventType {
  /** The client is about to send the operation. */
  INVOKE,
  /** The operation took effect, with the result recorded in the event. */
  OK,
  /** The operation definitely did not take effect. */
  FAIL,
  /** Unknown: the operation may or may not have taken effect (a timeout, a lost reply). */
  INFO;

  /** The name in JSON: {@code invoke}, {@code ok}, {@code fail} or {@code info}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type whose {@link #jsonName()} is {@code name}. */
  public static EventType fromJson(String name) {
    for (EventType type : values()) {
      if (type.jsonName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("type must be invoke, ok, fail or info, got '" + name + "'");
  }
}
