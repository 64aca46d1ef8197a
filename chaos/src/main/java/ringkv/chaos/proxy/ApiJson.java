package ringkv.chaos.proxy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the Toxiproxy API. Responses carry every field toxiproxy-java reads (it
 * throws a NullPointerException on a missing one); requests are read leniently, as Go's decoder
 * does: unknown fields are ignored, missing ones take defaults.
 */
final class ApiJson {
  private ApiJson() {}

  static JsonObject proxy(ProxyView view) {
    var json = new JsonObject();
    json.addProperty("name", view.name());
    json.addProperty("listen", view.listen());
    json.addProperty("upstream", view.upstream());
    json.addProperty("enabled", view.enabled());
    json.add("toxics", toxics(view.toxics()));
    return json;
  }

  /** GET /proxies answers an object keyed by proxy name, not an array. */
  static JsonObject proxiesByName(List<ProxyView> views) {
    var json = new JsonObject();
    for (var view : views) {
      json.add(view.name(), proxy(view));
    }
    return json;
  }

  static JsonArray proxies(List<ProxyView> views) {
    var json = new JsonArray();
    views.forEach(view -> json.add(proxy(view)));
    return json;
  }

  static JsonObject toxic(ToxicSpec spec) {
    var attributes = new JsonObject();
    for (var attribute : spec.type().attributeNames()) {
      attributes.addProperty(attribute, spec.attribute(attribute));
    }
    var json = new JsonObject();
    json.addProperty("name", spec.name());
    json.addProperty("type", spec.type().wireName());
    json.addProperty("stream", spec.stream().wireName());
    json.addProperty("toxicity", spec.toxicity());
    json.add("attributes", attributes);
    return json;
  }

  static JsonArray toxics(List<ToxicSpec> specs) {
    var json = new JsonArray();
    specs.forEach(spec -> json.add(toxic(spec)));
    return json;
  }

  static JsonObject error(int status, String message) {
    var json = new JsonObject();
    json.addProperty("error", message);
    json.addProperty("status", status);
    return json;
  }

  static JsonElement parse(String body) throws ApiException {
    try {
      var json = JsonParser.parseString(body);
      if (json.isJsonNull()) {
        throw ApiException.badRequestBody();
      }
      return json;
    } catch (JsonParseException e) {
      throw ApiException.badRequestBody();
    }
  }

  static JsonObject parseObject(String body) throws ApiException {
    var json = parse(body);
    if (!json.isJsonObject()) {
      throw ApiException.badRequestBody();
    }
    return json.getAsJsonObject();
  }

  /** A proxy to create; {@code enabled} defaults to true, listen to any port on all addresses. */
  static ProxyRegistry.ProxyRequest proxyRequest(JsonElement json) throws ApiException {
    if (!json.isJsonObject()) {
      throw ApiException.badRequestBody();
    }
    var object = json.getAsJsonObject();
    var name = string(object, "name");
    if (name == null || name.isEmpty()) {
      throw ApiException.missingField("name");
    }
    var upstream = string(object, "upstream");
    if (upstream == null || upstream.isEmpty()) {
      throw ApiException.missingField("upstream");
    }
    var listen = string(object, "listen");
    var enabled = bool(object, "enabled");
    return new ProxyRegistry.ProxyRequest(
        name,
        listen == null || listen.isEmpty() ? ":0" : listen,
        upstream,
        enabled == null || enabled);
  }

  /** A new toxic; defaults as in Toxiproxy: stream downstream, toxicity 1, name type_stream. */
  static ToxicSpec newToxic(JsonObject json) throws ApiException {
    var typeName = string(json, "type");
    var type =
        ToxicType.fromWire(typeName == null ? "" : typeName)
            .orElseThrow(() -> new ApiException(400, "invalid toxic type: " + typeName));
    var streamName = string(json, "stream");
    var stream =
        streamName == null || streamName.isEmpty()
            ? StreamDirection.DOWNSTREAM
            : StreamDirection.fromWire(streamName)
                .orElseThrow(
                    () ->
                        new ApiException(
                            400, "stream was invalid, can be either upstream or downstream"));
    var name = string(json, "name");
    if (name == null || name.isEmpty()) {
      name = type.wireName() + "_" + stream.wireName();
    }
    var toxicity = number(json, "toxicity");
    return ToxicSpec.of(
        name,
        type,
        stream,
        toxicity == null ? 1.0 : toxicity.doubleValue(),
        attributes(json));
  }

  /** An update: attributes are merged into the toxic's, toxicity replaced if given. */
  static UnaryOperator<ToxicSpec> toxicChange(JsonObject json) throws ApiException {
    var attributes = attributes(json);
    var toxicity = number(json, "toxicity");
    return spec -> {
      var changed = spec.withAttributes(attributes);
      return toxicity == null ? changed : changed.withToxicity(toxicity.doubleValue());
    };
  }

  private static Map<String, Long> attributes(JsonObject json) throws ApiException {
    var given = new HashMap<String, Long>();
    var element = json.get("attributes");
    if (element == null || element.isJsonNull()) {
      return given;
    }
    if (!element.isJsonObject()) {
      throw ApiException.badRequestBody();
    }
    for (var entry : element.getAsJsonObject().entrySet()) {
      var value = entry.getValue();
      if (!(value instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
        throw ApiException.badRequestBody();
      }
      given.put(entry.getKey(), primitive.getAsNumber().longValue());
    }
    return given;
  }

  static @Nullable String string(JsonObject json, String field) throws ApiException {
    var value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!(value instanceof JsonPrimitive primitive) || !primitive.isString()) {
      throw ApiException.badRequestBody();
    }
    return primitive.getAsString();
  }

  static @Nullable Boolean bool(JsonObject json, String field) throws ApiException {
    var value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!(value instanceof JsonPrimitive primitive) || !primitive.isBoolean()) {
      throw ApiException.badRequestBody();
    }
    return primitive.getAsBoolean();
  }

  private static @Nullable Number number(JsonObject json, String field) throws ApiException {
    var value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!(value instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
      throw ApiException.badRequestBody();
    }
    return primitive.getAsNumber();
  }
}
