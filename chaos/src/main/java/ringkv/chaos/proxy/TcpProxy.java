package ringkv.chaos.proxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named proxy: a listener on {@code listen}, a connection to {@code upstream} per accepted
 * client, and the proxy's toxics.
 *
 * <p>Implementation notes. All state is guarded by this object's monitor. Registering a new
 * connection and changing the toxics both hold it, so every connection gets each toxic change
 * exactly once and in order (it starts with the current lists and then receives every later
 * {@link #publish}). The accept thread dials upstream outside the monitor and registers the
 * connection only if the listener it came from is still the current one, so a connection
 * accepted just before a disable or restart is closed rather than leaked.
 */
final class TcpProxy {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
  private static final int DIAL_TIMEOUT_MILLIS = 5_000;

  private final String name;
  private final SplittableRandom random;
  private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
  private final List<ToxicSpec> toxics = new ArrayList<>();
  private HostPort listen;
  private String upstream;
  private @Nullable ServerSocket listener;
  // True from start() until the accept thread has left accept() for good.
  private boolean accepting;
  private long acceptedCount;

  TcpProxy(String name, HostPort listen, String upstream, SplittableRandom random) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
    this.random = random;
  }

  synchronized ProxyView view() {
    return new ProxyView(name, listen.toString(), upstream, listener != null, toxics);
  }

  synchronized boolean isEnabled() {
    return listener != null;
  }

  /** Listens (again) on {@code listen}; a port of 0 is replaced by the bound port. */
  synchronized void start() throws IOException {
    if (listener != null) {
      return;
    }
    var socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(listen.toSocketAddress(), 50);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw new IOException("listen tcp " + listen + ": " + e.getMessage(), e);
    }
    listen = new HostPort(listen.host(), socket.getLocalPort());
    listener = socket;
    var thread = new Thread(() -> acceptLoop(socket), "toxiproxy-" + name + "-accept");
    thread.setDaemon(true);
    accepting = true;
    thread.start();
    log.info("proxy started name={} listen={} upstream={}", name, listen, upstream);
  }

  /** Stops listening and closes every connection, as a disable does in Toxiproxy. */
  synchronized void stop() {
    var socket = listener;
    if (socket == null) {
      return;
    }
    listener = null;
    try {
      socket.close();
    } catch (IOException e) {
      log.warn("closing listener failed name={}", name, e);
    }
    awaitAcceptThreadExit();
    for (var connection : List.copyOf(connections)) {
      connection.close();
    }
    log.info("proxy stopped name={} listen={}", name, listen);
  }

  // With a thread blocked in accept(), ServerSocket.close() frees the port only once that thread
  // has returned, so a restart on the same port must wait for it. wait() releases the monitor,
  // which the accept thread may need to drop a connection it was registering.
  private void awaitAcceptThreadExit() {
    while (accepting) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Toxiproxy's Proxy.Update: a new listen or upstream restarts the proxy (dropping its
   * connections); then it is enabled or disabled as asked. Null fields keep their values.
   */
  synchronized void update(
      @Nullable HostPort newListen, @Nullable String newUpstream, @Nullable Boolean enable)
      throws IOException {
    boolean wantEnabled = enable != null ? enable : isEnabled();
    boolean moved =
        (newListen != null && !newListen.equals(listen))
            || (newUpstream != null && !newUpstream.equals(upstream));
    if (moved) {
      stop();
      listen = newListen != null ? newListen : listen;
      upstream = newUpstream != null ? newUpstream : upstream;
    }
    if (wantEnabled) {
      start();
    } else {
      stop();
    }
  }

  synchronized List<ToxicSpec> toxics() {
    return List.copyOf(toxics);
  }

  synchronized ToxicSpec toxic(String toxicName) throws ApiException {
    return toxics.get(indexOf(toxicName));
  }

  synchronized ToxicSpec addToxic(ToxicSpec spec) throws ApiException {
    for (var existing : toxics) {
      if (existing.name().equals(spec.name())) {
        throw new ApiException(409, "toxic already exists");
      }
    }
    toxics.add(spec);
    publish(spec.stream());
    return spec;
  }

  synchronized ToxicSpec updateToxic(String toxicName, UnaryOperator<ToxicSpec> change)
      throws ApiException {
    int index = indexOf(toxicName);
    var updated = change.apply(toxics.get(index));
    toxics.set(index, updated);
    publish(updated.stream());
    return updated;
  }

  synchronized void removeToxic(String toxicName) throws ApiException {
    var removed = toxics.remove(indexOf(toxicName));
    publish(removed.stream());
  }

  synchronized void removeAllToxics() {
    toxics.clear();
    for (var direction : StreamDirection.values()) {
      publish(direction);
    }
  }

  private int indexOf(String toxicName) throws ApiException {
    for (int i = 0; i < toxics.size(); i++) {
      if (toxics.get(i).name().equals(toxicName)) {
        return i;
      }
    }
    throw ApiException.toxicNotFound();
  }

  private List<ToxicSpec> toxicsOf(StreamDirection direction) {
    return toxics.stream().filter(toxic -> toxic.stream() == direction).toList();
  }

  private void publish(StreamDirection direction) {
    var chain = toxicsOf(direction);
    for (var connection : connections) {
      connection.publish(direction, chain);
    }
  }

  private void acceptLoop(ServerSocket socket) {
    try {
      acceptUntilClosed(socket);
    } finally {
      synchronized (this) {
        accepting = false;
        notifyAll();
      }
    }
  }

  private void acceptUntilClosed(ServerSocket socket) {
    while (true) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("accept failed name={}", name, e);
        }
        return;
      }
      String target;
      synchronized (this) {
        target = upstream;
      }
      var upstreamSocket = dial(target);
      if (upstreamSocket == null) {
        closeQuietly(client);
      } else {
        register(socket, client, upstreamSocket);
      }
    }
  }

  private @Nullable Socket dial(String target) {
    var socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(HostPort.parse(target).toSocketAddress(), DIAL_TIMEOUT_MILLIS);
      return socket;
    } catch (IOException | IllegalArgumentException e) {
      log.warn("dial upstream failed name={} upstream={} cause={}", name, target, e.toString());
      closeQuietly(socket);
      return null;
    }
  }

  private synchronized void register(ServerSocket from, Socket client, Socket upstreamSocket) {
    if (listener != from) {
      closeQuietly(client);
      closeQuietly(upstreamSocket);
      return;
    }
    try {
      client.setTcpNoDelay(true);
    } catch (IOException e) {
      log.debug("TCP_NODELAY failed name={} cause={}", name, e.toString());
    }
    acceptedCount++;
    var connection =
        new ProxiedConnection(
            "toxiproxy-" + name + "-" + acceptedCount,
            client,
            upstreamSocket,
            toxicsOf(StreamDirection.UPSTREAM),
            toxicsOf(StreamDirection.DOWNSTREAM),
            random.split(),
            connections::remove);
    connections.add(connection);
    connection.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Best effort: the socket is being dropped either way.
    }
  }
}
