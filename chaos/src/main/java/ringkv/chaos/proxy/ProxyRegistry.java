package ringkv.chaos.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The proxies by name, with the operations of the HTTP API. Every operation holds this object's
 * monitor, so API requests apply one at a time (lock order: this, then a {@link TcpProxy}).
 */
final class ProxyRegistry implements AutoCloseable {
  /** A proxy as a client asks for it in a create or populate request. */
  record ProxyRequest(String name, String listen, String upstream, boolean enabled) {}

  private final Map<String, TcpProxy> proxies = new TreeMap<>();
  private final SplittableRandom random;

  ProxyRegistry(long seed) {
    this.random = new SplittableRandom(seed);
  }

  synchronized List<ProxyView> list() {
    return proxies.values().stream().map(TcpProxy::view).toList();
  }

  synchronized ProxyView get(String name) throws ApiException {
    return proxy(name).view();
  }

  synchronized ProxyView create(ProxyRequest request) throws ApiException {
    if (proxies.containsKey(request.name())) {
      throw new ApiException(409, "proxy already exists");
    }
    var proxy =
        new TcpProxy(
            request.name(), parseListen(request.listen()), request.upstream(), random.split());
    if (request.enabled()) {
      start(proxy);
    }
    proxies.put(request.name(), proxy);
    return proxy.view();
  }

  synchronized ProxyView update(
      String name, @Nullable String listen, @Nullable String upstream, @Nullable Boolean enabled)
      throws ApiException {
    var proxy = proxy(name);
    try {
      proxy.update(listen == null ? null : parseListen(listen), upstream, enabled);
    } catch (IOException e) {
      throw new ApiException(500, String.valueOf(e.getMessage()));
    }
    return proxy.view();
  }

  synchronized void delete(String name) throws ApiException {
    proxy(name).stop();
    proxies.remove(name);
  }

  /** Re-enables every proxy and removes every toxic; Toxiproxy's POST /reset. */
  synchronized void reset() throws ApiException {
    for (var proxy : proxies.values()) {
      start(proxy);
      proxy.removeAllToxics();
    }
  }

  /**
   * Creates each proxy, replacing one of the same name whose listen or upstream differ (and
   * keeping one that matches), as Toxiproxy's POST /populate does.
   */
  synchronized List<ProxyView> populate(List<ProxyRequest> requests) throws ApiException {
    var result = new ArrayList<ProxyView>();
    for (var request : requests) {
      var existing = proxies.get(request.name());
      if (existing != null) {
        var view = existing.view();
        if (view.listen().equals(request.listen()) && view.upstream().equals(request.upstream())) {
          result.add(view);
          continue;
        }
        delete(request.name());
      }
      result.add(create(request));
    }
    return result;
  }

  synchronized List<ToxicSpec> toxics(String proxyName) throws ApiException {
    return proxy(proxyName).toxics();
  }

  synchronized ToxicSpec toxic(String proxyName, String toxicName) throws ApiException {
    return proxy(proxyName).toxic(toxicName);
  }

  synchronized ToxicSpec addToxic(String proxyName, ToxicSpec spec) throws ApiException {
    return proxy(proxyName).addToxic(spec);
  }

  synchronized ToxicSpec updateToxic(
      String proxyName, String toxicName, UnaryOperator<ToxicSpec> change) throws ApiException {
    return proxy(proxyName).updateToxic(toxicName, change);
  }

  synchronized void removeToxic(String proxyName, String toxicName) throws ApiException {
    proxy(proxyName).removeToxic(toxicName);
  }

  /** Stops every proxy and forgets them all. */
  @Override
  public synchronized void close() {
    for (var proxy : proxies.values()) {
      proxy.stop();
    }
    proxies.clear();
  }

  private TcpProxy proxy(String name) throws ApiException {
    var proxy = proxies.get(name);
    if (proxy == null) {
      throw ApiException.proxyNotFound();
    }
    return proxy;
  }

  private static void start(TcpProxy proxy) throws ApiException {
    try {
      proxy.start();
    } catch (IOException e) {
      throw new ApiException(500, String.valueOf(e.getMessage()));
    }
  }

  private static HostPort parseListen(String listen) throws ApiException {
    try {
      return HostPort.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid listen address: " + e.getMessage());
    }
  }
}
