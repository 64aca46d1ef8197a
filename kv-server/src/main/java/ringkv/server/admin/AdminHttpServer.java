package ringkv.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.server.NodeStartException;

/**
 * The node's admin HTTP server (JDK {@code com.sun.net.httpserver}: a handful of small GET
 * endpoints need no web framework). {@code /metrics}, {@code /healthz} and {@code /readyz} are
 * registered by the node; the dashboard adds its pages with {@link #route}.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  public AdminHttpServer(String host, int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 50);
    } catch (BindException e) {
      throw new NodeStartException("admin port " + port + " on " + host + " is already in use", e);
    } catch (IOException e) {
      throw new NodeStartException("cannot listen on admin port " + port + ": " + e.getMessage(), e);
    }
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ringkv-admin-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
  }

  /** Serves GET (and HEAD) requests for {@code path} and everything below it with {@code handler}. */
  public AdminHttpServer route(String path, Handler handler) {
    server.createContext(path, exchange -> {
      try (exchange) {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          send(exchange, 405, "text/plain; charset=utf-8", "only GET is served here\n");
          return;
        }
        Response response = handler.handle(exchange);
        send(exchange, response.status(), response.contentType(), response.body());
      } catch (RuntimeException e) {
        LOG.warn("admin request {} failed: {}", exchange.getRequestURI(), e.toString());
      }
    });
    return this;
  }

  /** Raw handler for special cases (static files with byte bodies). */
  public AdminHttpServer rawRoute(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** What a route answers. */
  public record Response(int status, String contentType, String body) {
    public static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body);
    }

    public static Response json(int status, String body) {
      return new Response(status, "application/json", body);
    }
  }

  /** One route's logic. */
  @FunctionalInterface
  public interface Handler {
    Response handle(HttpExchange exchange);
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
