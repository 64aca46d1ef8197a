package ringkv.chaos.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes Toxiproxy's HTTP API onto a {@link ProxyRegistry}. Content-Type is ignored
 * (toxiproxy-java sends JSON labelled as a form), and every error is a JSON body
 * {@code {"error","status"}}, which the client needs to build its IOException.
 */
final class HttpApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private record Response(int status, @Nullable JsonElement body) {}

  private final ProxyRegistry registry;
  private final String version;

  HttpApi(ProxyRegistry registry, String version) {
    this.registry = registry;
    this.version = version;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (ApiException e) {
        response = new Response(e.status(), ApiJson.error(e.status(), e.getMessage()));
      } catch (RuntimeException e) {
        log.error(
            "request failed method={} path={}", exchange.getRequestMethod(), path(exchange), e);
        response = new Response(500, ApiJson.error(500, e.toString()));
      }
      send(exchange, response);
    }
  }

  private Response route(HttpExchange exchange) throws IOException, ApiException {
    var userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
    // Real Toxiproxy refuses browsers, so a web page cannot drive it (CSRF).
    if (userAgent != null && userAgent.startsWith("Mozilla/")) {
      throw new ApiException(403, "User agent not allowed");
    }
    var method = exchange.getRequestMethod();
    var parts = segments(path(exchange));
    var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    boolean update = method.equals("POST") || method.equals("PATCH");
    boolean isRead = method.equals("GET");
    boolean isDelete = method.equals("DELETE");

    if (parts.equals(List.of("version")) && isRead) {
      var json = new JsonObject();
      json.addProperty("version", version);
      return ok(json);
    }
    if (parts.equals(List.of("reset")) && method.equals("POST")) {
      registry.reset();
      return new Response(204, null);
    }
    if (parts.equals(List.of("populate")) && method.equals("POST")) {
      return populate(body);
    }
    if (parts.isEmpty() || !parts.get(0).equals("proxies") || parts.size() > 4) {
      throw new ApiException(404, "not found");
    }
    if (parts.size() == 1) {
      if (isRead) {
        return ok(ApiJson.proxiesByName(registry.list()));
      }
      if (method.equals("POST")) {
        var request = ApiJson.proxyRequest(ApiJson.parse(body));
        return new Response(201, ApiJson.proxy(registry.create(request)));
      }
      throw methodNotAllowed();
    }
    var proxyName = parts.get(1);
    if (parts.size() == 2) {
      if (isRead) {
        return ok(ApiJson.proxy(registry.get(proxyName)));
      }
      if (update) {
        var json = ApiJson.parseObject(body);
        var view =
            registry.update(
                proxyName,
                ApiJson.string(json, "listen"),
                ApiJson.string(json, "upstream"),
                ApiJson.bool(json, "enabled"));
        return ok(ApiJson.proxy(view));
      }
      if (isDelete) {
        registry.delete(proxyName);
        return new Response(204, null);
      }
      throw methodNotAllowed();
    }
    if (!parts.get(2).equals("toxics")) {
      throw new ApiException(404, "not found");
    }
    if (parts.size() == 3) {
      if (isRead) {
        return ok(ApiJson.toxics(registry.toxics(proxyName)));
      }
      if (method.equals("POST")) {
        // 200, not 201: real Toxiproxy answers a created toxic with OK.
        var spec = ApiJson.newToxic(ApiJson.parseObject(body));
        return ok(ApiJson.toxic(registry.addToxic(proxyName, spec)));
      }
      throw methodNotAllowed();
    }
    var toxicName = parts.get(3);
    if (isRead) {
      return ok(ApiJson.toxic(registry.toxic(proxyName, toxicName)));
    }
    if (update) {
      var change = ApiJson.toxicChange(ApiJson.parseObject(body));
      return ok(ApiJson.toxic(registry.updateToxic(proxyName, toxicName, change)));
    }
    if (isDelete) {
      registry.removeToxic(proxyName, toxicName);
      return new Response(204, null);
    }
    throw methodNotAllowed();
  }

  private Response populate(String body) throws ApiException {
    var json = ApiJson.parse(body);
    if (!json.isJsonArray()) {
      throw ApiException.badRequestBody();
    }
    var requests = new ArrayList<ProxyRegistry.ProxyRequest>();
    for (var element : json.getAsJsonArray()) {
      requests.add(ApiJson.proxyRequest(element));
    }
    var result = new JsonObject();
    result.add("proxies", ApiJson.proxies(registry.populate(requests)));
    return new Response(201, result);
  }

  private static Response ok(JsonElement body) {
    return new Response(200, body);
  }

  private static ApiException methodNotAllowed() {
    return new ApiException(405, "method not allowed");
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getPath();
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList();
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    var body = response.body();
    if (body == null) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    var bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
