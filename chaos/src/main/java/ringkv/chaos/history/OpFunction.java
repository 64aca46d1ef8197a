package ringkv.chaos.history;

import java.util.Locale;

/** The {@code f} of an event: which register operation the client called. */
public enum OpFunction {
  /** Read the key: its value, or absent. */
  GET,
  /** Write a value. */
  PUT,
  /** Make the key absent. */
  DELETE,
  /** Compare-and-set: write {@code value} if the key holds {@code expected}. */
  CAS;

  /** The name in JSON: {@code get}, {@code put}, {@code delete} or {@code cas}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The function whose {@link #jsonName()} is {@code name}. */
  public static OpFunction fromJson(String name) {
    for (OpFunction f : values()) {
      if (f.jsonName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("f must be get, put, delete or cas, got '" + name + "'");
  }
}
