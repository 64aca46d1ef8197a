package ringkv.chaos.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable TCP fault-injection proxy that serves the Toxiproxy HTTP API (the subset
 * toxiproxy-java 2.1.11 uses, plus POST /populate), so tests can drive it with {@code
 * new ToxiproxyClient(host, port)} exactly as they would drive Shopify's Toxiproxy.
 *
 * <pre>{@code
 * try (var server = ToxiproxyServer.start("127.0.0.1", 0, seed)) {
 *   var client = new ToxiproxyClient("127.0.0.1", server.port());
 *   var proxy = client.createProxy("raft-1", "127.0.0.1:0", "127.0.0.1:9001");
 *   proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
 * }
 * }</pre>
 *
 * <p>The seed drives every toxicity roll, jitter and slicer size, so a run with the same seed and
 * the same order of connections and API calls makes the same choices. Thread-safe; {@link
 * #close()} stops the API, every listener and every proxied connection, and is idempotent.
 */
public final class ToxiproxyServer implements AutoCloseable {
  /** The Toxiproxy API version this server follows, returned by GET /version. */
  public static final String VERSION = "2.12.0-ringkv";

  private static final Logger log = LoggerFactory.getLogger(ToxiproxyServer.class);
  private static final int API_THREADS = 2;
  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final long seed;
  private @Nullable HttpServer http;
  private @Nullable ExecutorService executor;
  private @Nullable ProxyRegistry registry;
  private boolean closed;

  private ToxiproxyServer(long seed) {
    this.seed = seed;
  }

  /**
   * A server serving the API on {@code host:port} (port 0 picks a free port), whose random
   * choices come from {@code seed}.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static ToxiproxyServer start(String host, int port, long seed) {
    var server = new ToxiproxyServer(seed);
    try {
      server.bind(host, port);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("cannot serve the Toxiproxy API on " + host + ":" + port, e);
    }
    return server;
  }

  /** {@link #start(String, int, long)} with a random seed, which is logged. */
  public static ToxiproxyServer start(String host, int port) {
    return start(host, port, new SplittableRandom().nextLong());
  }

  private synchronized void bind(String host, int port) throws IOException {
    // The JDK server writes a response's headers and body separately; with Nagle on, the body
    // waits for the client's delayed ACK and every API call takes about 40 ms. The property is
    // read once per JVM, when the first HttpServer is created, so it is set only if still unset.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
    var newRegistry = new ProxyRegistry(seed);
    var server = HttpServer.create(new InetSocketAddress(host, port), 50);
    var threads = new AtomicInteger();
    var pool =
        Executors.newFixedThreadPool(
            API_THREADS,
            task -> {
              var thread = new Thread(task, "toxiproxy-api-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.createContext("/", new HttpApi(newRegistry, VERSION));
    server.setExecutor(pool);
    server.start();
    http = server;
    executor = pool;
    registry = newRegistry;
    log.info("toxiproxy API started url={} seed={}", baseUrl(), seed);
  }

  /** The host the API is bound to, as an address literal. */
  public synchronized String host() {
    return HostPort.of(requireStarted().getAddress()).host();
  }

  /** The port the API is bound to. */
  public synchronized int port() {
    return requireStarted().getAddress().getPort();
  }

  /** The API's base URL, such as {@code http://127.0.0.1:8474}. */
  public synchronized String baseUrl() {
    return "http://" + HostPort.of(requireStarted().getAddress());
  }

  private HttpServer requireStarted() {
    if (http == null) {
      throw new IllegalStateException("not started");
    }
    return http;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (registry != null) {
      registry.close();
    }
    log.info("toxiproxy API stopped");
  }
}
