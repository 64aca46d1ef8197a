package ringkv.chaos.proxy;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client socket, the upstream socket dialled for it, and the two {@link Link}s between them.
 * Safe to close or reset from any thread, any number of times.
 */
final class ProxiedConnection {
  private static final Logger log = LoggerFactory.getLogger(ProxiedConnection.class);

  private final String name;
  private final Socket client;
  private final Socket upstream;
  private final Link upstreamLink;
  private final Link downstreamLink;
  private final Consumer<ProxiedConnection> onClosed;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger endedLinks = new AtomicInteger();

  ProxiedConnection(
      String name,
      Socket client,
      Socket upstream,
      List<ToxicSpec> upstreamToxics,
      List<ToxicSpec> downstreamToxics,
      SplittableRandom random,
      Consumer<ProxiedConnection> onClosed) {
    this.name = name;
    this.client = client;
    this.upstream = upstream;
    this.onClosed = onClosed;
    this.upstreamLink =
        new Link(name + "-up", client, upstream, this, upstreamToxics, random.split());
    this.downstreamLink =
        new Link(name + "-down", upstream, client, this, downstreamToxics, random.split());
  }

  void start() {
    upstreamLink.start();
    downstreamLink.start();
  }

  void publish(StreamDirection direction, List<ToxicSpec> toxics) {
    (direction == StreamDirection.UPSTREAM ? upstreamLink : downstreamLink).publish(toxics);
  }

  /**
   * Called once by each link's pump as it stops. {@code ended}: the source's end went through the
   * toxics, so only that link's sink is closed (the other link then sees its source end);
   * otherwise the whole connection closes.
   */
  void linkFinished(Link link, boolean ended) {
    if (ended && endedLinks.incrementAndGet() < 2) {
      closeQuietly(link.sink());
    } else {
      close();
    }
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Sockets first: a pump woken by its link's close then fails to write, rather than flushing
    // a chunk a toxic was holding (latency) to a peer that must see the connection drop.
    closeQuietly(client);
    closeQuietly(upstream);
    upstreamLink.close();
    downstreamLink.close();
    log.debug("connection closed name={}", name);
    onClosed.accept(this);
  }

  /** Closes both sockets with SO_LINGER 0, which sends a TCP RST and drops unsent data. */
  void reset() {
    for (var socket : List.of(client, upstream)) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        // Already closed: nothing left to reset.
      }
    }
    close();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort; the peer sees the connection end either way.
    }
  }
}
