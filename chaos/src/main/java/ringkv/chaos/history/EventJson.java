package ringkv.chaos.history;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One event as one line of JSON, and back. */
final class EventJson {
  private EventJson() {}

  /** The event as a JSON object without line break; fields in the documented order. */
  static String encode(Event event) {
    var out = new StringWriter(160);
    try (var json = new JsonWriter(out)) {
      // nulls are written: an ok get with "value":null read absent, which a reader must see
      json.setSerializeNulls(true);
      json.beginObject();
      json.name("index").value(event.index());
      json.name("time").value(event.timeNanos());
      json.name("process").value(event.process());
      json.name("type").value(event.type().jsonName());
      json.name("f").value(event.function().jsonName());
      json.name("key").value(event.key());
      if (event.value() != null || hasValueField(event)) {
        json.name("value").value(event.value());
      }
      if (event.expected() != null) {
        json.name("expected").value(event.expected());
      }
      if (event.succeeded() != null) {
        json.name("succeeded").value(event.succeeded());
      }
      for (Map.Entry<String, String> field : event.extra().entrySet()) {
        json.name(field.getKey()).value(field.getValue());
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    return out.toString();
  }

  private static boolean hasValueField(Event event) {
    return event.function() == OpFunction.GET && event.type() == EventType.OK;
  }

  /**
   * Parses one line.
   *
   * @throws IllegalArgumentException naming the field when the line is not a valid event
   */
  static Event decode(String line) {
    JsonObject object;
    try {
      var reader = new JsonReader(new StringReader(line));
      reader.setStrictness(Strictness.STRICT);
      JsonElement element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      if (!element.isJsonObject()) {
        throw new IllegalArgumentException("expected a JSON object, got " + element);
      }
      object = element.getAsJsonObject();
    } catch (JsonParseException | IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    var extra = new LinkedHashMap<String, String>();
    for (Map.Entry<String, JsonElement> field : object.entrySet()) {
      if (!Event.FIELDS.contains(field.getKey()) && !field.getValue().isJsonNull()) {
        JsonElement v = field.getValue();
        extra.put(field.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
      }
    }
    return new Event(
        requiredLong(object, "index"),
        requiredLong(object, "time"),
        Math.toIntExact(requiredLong(object, "process")),
        EventType.fromJson(requiredString(object, "type")),
        OpFunction.fromJson(requiredString(object, "f")),
        requiredString(object, "key"),
        optionalString(object, "value"),
        optionalString(object, "expected"),
        optionalBoolean(object, "succeeded"),
        extra);
  }

  private static long requiredLong(JsonObject object, String name) {
    JsonPrimitive p = primitive(object, name);
    if (p == null || !p.isNumber()) {
      throw new IllegalArgumentException(name + " must be an integer, got " + object.get(name));
    }
    try {
      return Long.parseLong(p.getAsString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got " + p, e);
    }
  }

  private static String requiredString(JsonObject object, String name) {
    String s = optionalString(object, name);
    if (s == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return s;
  }

  private static @Nullable String optionalString(JsonObject object, String name) {
    JsonElement e = object.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(name + " must be a string or null, got " + e);
    }
    return e.getAsString();
  }

  private static @Nullable Boolean optionalBoolean(JsonObject object, String name) {
    JsonElement e = object.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new IllegalArgumentException(name + " must be true, false or null, got " + e);
    }
    return e.getAsBoolean();
  }

  private static @Nullable JsonPrimitive primitive(JsonObject object, String name) {
    JsonElement e = object.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
  }
}
