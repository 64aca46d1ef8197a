package ringkv.server.admin.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ringkv.server.admin.AdminHttpServer;
import ringkv.server.admin.AdminHttpServer.Response;
import ringkv.server.groups.HostedGroups;

/**
 * The dashboard on the admin port (docs/dashboard.md): the page at {@code /} (HTML, CSS and
 * JavaScript from the classpath under {@code ringkv/dashboard/}, no build step), and the JSON it
 * polls:
 *
 * <ul>
 *   <li>{@code /api/cluster}: map, nodes up/down, shards with replicas and leaders, ring, loads;
 *   <li>{@code /api/stats}: ops/s and p99 per node and per shard, cluster-wide;
 *   <li>{@code /api/stats/local}: this node's part of that, which other nodes' {@code /api/stats}
 *       ask for.
 * </ul>
 *
 * Every route is a read-only GET. The constructor does no I/O; {@link #register} adds the routes
 * (before or after the server starts) and needs no closing: the HTTP client and gRPC channels it
 * uses hold nothing between requests that outlives the node.
 */
public final class DashboardRoutes {
  private static final String ASSETS = "/ringkv/dashboard/";
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/dashboard.css", "dashboard.css",
      "/dashboard.js", "dashboard.js");

  private final HostedGroups groups;
  private final MeterRegistry registry;
  private final Map<String, String> loaded = new ConcurrentHashMap<>();

  public DashboardRoutes(HostedGroups groups, MeterRegistry registry) {
    this.groups = groups;
    this.registry = registry;
  }

  /** Adds {@code /}, {@code /api/cluster}, {@code /api/stats} and {@code /api/stats/local} to {@code server}. */
  public void register(AdminHttpServer server) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    LocalStats local = new LocalStats(groups, registry, System::nanoTime);
    ClusterView cluster = new ClusterView(groups, new NodeStatusProbe(), System::nanoTime);
    ClusterStats stats = new ClusterStats(groups, local, http, System::nanoTime);
    server
        .route("/api/cluster", exchange -> exact(exchange, "/api/cluster", () -> {
          Map<String, Object> view = cluster.current();
          return view == null ? error(503, "this node has no cluster map yet") : Response.json(200, Json.write(view));
        }))
        .route("/api/stats/local", exchange -> exact(exchange, "/api/stats/local",
            () -> Response.json(200, Json.write(local.current().toJson()))))
        .route("/api/stats", exchange -> exact(exchange, "/api/stats", () -> Response.json(200, Json.write(stats.current()))))
        .route("/", this::asset);
  }

  private static Response exact(HttpExchange exchange, String path, Supplier<Response> answer) {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      return error(404, "no such endpoint: " + exchange.getRequestURI().getPath());
    }
    return answer.get();
  }

  private static Response error(int status, String message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("error", message);
    return Response.json(status, Json.write(json));
  }

  private Response asset(HttpExchange exchange) {
    String file = FILES.get(exchange.getRequestURI().getPath());
    if (file == null) {
      return Response.text(404, "not found; the dashboard is at /\n");
    }
    String type = file.endsWith(".html") ? "text/html; charset=utf-8"
        : file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    return new Response(200, type, loaded.computeIfAbsent(file, DashboardRoutes::read));
  }

  private static String read(String file) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(ASSETS + file)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource " + ASSETS + file + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
