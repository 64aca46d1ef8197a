package ringkv.chaos.cluster;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.proxy.ToxiproxyServer;

/**
 * The Toxiproxy server a chaos cluster uses: the one {@code TOXIPROXY_URL} names (as in the Helm
 * chart's chaos mode, or a real Toxiproxy someone runs), or else the chaos module's own
 * Toxiproxy-compatible server, started in this JVM on a free loopback port.
 */
public final class ProxyServers {
  public static final String URL_VARIABLE = "TOXIPROXY_URL";

  private ProxyServers() {}

  /** A Toxiproxy API to drive; {@link #close()} stops the server only if this harness started it. */
  public record Running(ToxiproxyClient client, String url, @Nullable AutoCloseable owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot stop the chaos proxy server at " + url + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** The server {@code TOXIPROXY_URL} names, or a new one of the harness's own. */
  public static Running connectOrStart() {
    return connectOrStart(System.getenv(URL_VARIABLE));
  }

  /** The server at {@code url} (checked with {@code /version}), or, when it is null or blank, a new one of the harness's own. */
  public static Running connectOrStart(@Nullable String url) {
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url.trim());
      ToxiproxyClient client = new ToxiproxyClient(uri.getHost(), uri.getPort() < 0 ? 8474 : uri.getPort());
      try {
        client.version();
      } catch (IOException e) {
        throw new IllegalStateException(URL_VARIABLE + "=" + url + " does not answer as a Toxiproxy server: " + e.getMessage(), e);
      }
      return new Running(client, url, null);
    }
    ToxiproxyServer server = ToxiproxyServer.start("127.0.0.1", 0);
    return new Running(new ToxiproxyClient("127.0.0.1", server.port()), "http://127.0.0.1:" + server.port(), server);
  }
}
