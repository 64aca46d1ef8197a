package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Builds one flat-or-nested JSON object, fields in insertion order; enough for kvctl's output. */
final class JsonObject {
  private final StringBuilder json = new StringBuilder("{");

  JsonObject field(String name, long value) {
    return raw(name, Long.toString(value));
  }

  JsonObject field(String name, boolean value) {
    return raw(name, Boolean.toString(value));
  }

  /** A string, or {@code null}. */
  JsonObject field(String name, @Nullable String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  /** A number, or {@code null}. */
  JsonObject field(String name, @Nullable Long value) {
    return raw(name, value == null ? "null" : value.toString());
  }

  /**
   * A number written exactly as given (for example {@code 33.4}), or {@code null}.
   *
   * @param number a JSON number; the caller formats it
   */
  JsonObject number(String name, @Nullable String number) {
    return raw(name, number == null ? "null" : number);
  }

  /** An array of strings. */
  JsonObject strings(String name, List<String> values) {
    return raw(
        name, values.stream().map(JsonObject::quote).collect(Collectors.joining(",", "[", "]")));
  }

  /** An array of numbers. */
  JsonObject numbers(String name, List<? extends Number> values) {
    return raw(
        name, values.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
  }

  /** An array of objects. */
  JsonObject objects(String name, List<JsonObject> values) {
    return raw(
        name, values.stream().map(JsonObject::toString).collect(Collectors.joining(",", "[", "]")));
  }

  /** Bytes as a base64 string (standard alphabet, padded), as etcd and proto3 JSON do. */
  JsonObject field(String name, ByteString value) {
    return field(name, Base64.getEncoder().encodeToString(value.toByteArray()));
  }

  JsonObject field(String name, @Nullable JsonObject value) {
    return raw(name, value == null ? "null" : value.toString());
  }

  private JsonObject raw(String name, String value) {
    if (json.length() > 1) {
      json.append(',');
    }
    json.append(quote(name)).append(':').append(value);
    return this;
  }

  @Override
  public String toString() {
    return json + "}";
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
