package ringkv.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Bytes through proxies configured with toxiproxy-java: forwarding, enable/disable, and the
 * effect of each toxic on live connections. Time assertions are lower bounds, plus generous upper
 * bounds only where a toxic must have had no effect.
 */
@Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
class ToxiproxyServerDataTest {
  private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

  private ToxiproxyServer server;
  private ToxiproxyClient client;
  private TestUpstream echo;
  private Proxy proxy;

  @BeforeEach
  void start() throws IOException {
    server = ToxiproxyServer.start("127.0.0.1", 0, 42);
    client = new ToxiproxyClient("127.0.0.1", server.port());
    echo = TestUpstream.echo();
    proxy = client.createProxy("echo", "127.0.0.1:0", echo.address());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    echo.close();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void connection_noToxics_echoesBytesBothWays() throws IOException {
    var payload = Sockets.randomBytes(100_000, 1);
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, payload)).isEqualTo(payload);
      assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
    }
    assertThat(echo.received()).hasSize(payload.length + PING.length);
  }

  @Test
  void disable_liveConnection_isClosedAndNewOnesRefusedUntilEnabled() throws IOException {
    try (var socket = Sockets.connect(proxy.getListen())) {
      Sockets.roundTrip(socket, PING);

      proxy.disable();

      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
    }
    assertThatThrownBy(() -> Sockets.connect(proxy.getListen()))
        .isInstanceOf(ConnectException.class);

    proxy.enable();

    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
    }
  }

  @Test
  void setUpstream_liveConnection_isDroppedAndNewOnesReachNewUpstream() throws IOException {
    try (var other = TestUpstream.echo();
        var socket = Sockets.connect(proxy.getListen())) {
      Sockets.roundTrip(socket, PING);

      proxy.setUpstream(other.address());

      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
      try (var next = Sockets.connect(proxy.getListen())) {
        assertThat(Sockets.roundTrip(next, PING)).isEqualTo(PING);
      }
      assertThat(other.received()).isEqualTo(PING);
      assertThat(echo.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void connect_upstreamDown_closesClientConnection() throws IOException {
    proxy.setUpstream("127.0.0.1:1");
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
    }
  }

  @Test
  void reset_timeoutToxicAndDisabledProxy_restoresForwarding() throws IOException {
    proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 0);
    proxy.disable();

    client.reset();

    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
    }
  }

  @Test
  void latency_downstream_delaysEachResponseByAtLeastLatency() throws IOException {
    proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200).setJitter(50);
    try (var socket = Sockets.connect(proxy.getListen())) {
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(150);
      }
    }
  }

  @Test
  void latency_addedAndRemovedOnLiveConnection_appliesToThatConnection() throws IOException {
    try (var socket = Sockets.connect(proxy.getListen())) {
      Sockets.roundTrip(socket, PING);

      var latency = proxy.toxics().latency("slow", ToxicDirection.UPSTREAM, 300);
      long start = System.nanoTime();
      Sockets.roundTrip(socket, PING);
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);

      latency.setLatency(5_000);
      latency.remove();
      start = System.nanoTime();
      Sockets.roundTrip(socket, PING);
      assertThat(millisSince(start)).isLessThan(2_500);
    }
  }

  @Test
  void latency_severalChunks_measuredFromEachArrivalInOrder() throws Exception {
    proxy.toxics().latency("slow", ToxicDirection.UPSTREAM, 300);
    var payload = Sockets.randomBytes(10_000, 2);
    try (var socket = Sockets.connect(proxy.getListen())) {
      long start = System.nanoTime();
      for (int offset = 0; offset < payload.length; offset += 1_000) {
        socket.getOutputStream().write(payload, offset, 1_000);
        Thread.sleep(20); // shapes the writes into separate chunks; not needed for correctness
      }

      assertThat(Sockets.readExactly(socket, payload.length)).isEqualTo(payload);
      // Each chunk is due 300 ms after it arrived (about 500 ms in all); delaying the chunks one
      // after another would take 10 x 300 ms.
      assertThat(millisSince(start)).isBetween(300L, 2_500L);
    }
  }

  @Test
  void toxicityZero_latency_hasNoEffect() throws IOException {
    proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 5_000).setToxicity(0f);
    try (var socket = Sockets.connect(proxy.getListen())) {
      long start = System.nanoTime();
      assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
      assertThat(millisSince(start)).isLessThan(2_500);
    }
  }

  @Test
  void bandwidth_upstream_slowsTransferToRate() throws IOException {
    proxy.toxics().bandwidth("narrow", ToxicDirection.UPSTREAM, 50);
    var payload = Sockets.randomBytes(25_000, 3);
    try (var socket = Sockets.connect(proxy.getListen())) {
      long start = System.nanoTime();
      assertThat(Sockets.roundTrip(socket, payload)).isEqualTo(payload);
      // 25,000 bytes at 50 KB/s take 500 ms.
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(450);
    }
  }

  @Test
  void timeoutZero_upstream_dropsDataUntilRemovedThenClosesConnection() throws IOException {
    try (var socket = Sockets.connect(proxy.getListen())) {
      var timeout = proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 0);

      socket.getOutputStream().write(PING);
      assertThat(Sockets.staysSilent(socket, 300)).isTrue();
      assertThat(echo.received()).isEmpty();

      // As in Toxiproxy, removing a timeout toxic closes the connections it held.
      timeout.remove();
      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
    }
    assertThat(echo.received()).isEmpty();
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, PING)).isEqualTo(PING);
    }
  }

  @Test
  void timeoutPositive_liveConnection_closesAfterTimeout() throws IOException {
    try (var socket = Sockets.connect(proxy.getListen())) {
      Sockets.roundTrip(socket, PING);
      long start = System.nanoTime();

      proxy.toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 300);
      socket.getOutputStream().write(PING);

      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void timeout_downstreamOnly_stillForwardsUpstreamBytes() throws IOException {
    proxy.toxics().timeout("hold", ToxicDirection.DOWNSTREAM, 0);
    try (var socket = Sockets.connect(proxy.getListen())) {
      socket.getOutputStream().write(PING);

      awaitReceived(echo, PING.length);
      assertThat(echo.received()).isEqualTo(PING);
      assertThat(Sockets.staysSilent(socket, 300)).isTrue();
    }
  }

  @Test
  void resetPeer_upstream_resetsConnectionOnFirstData() throws IOException {
    proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 200);
    try (var socket = Sockets.connect(proxy.getListen())) {
      long start = System.nanoTime();
      socket.getOutputStream().write(PING);

      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(200);
    }
    assertThat(echo.received()).isEmpty();
  }

  @Test
  void slicer_downstream_deliversAllBytesIntact() throws IOException {
    var slicer = proxy.toxics().slicer("crumbs", ToxicDirection.DOWNSTREAM, 64, 20);
    slicer.setSizeVariation(32);
    var payload = Sockets.randomBytes(30_000, 4);
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, payload)).isEqualTo(payload);
    }
  }

  @Test
  void limitData_downstream_closesAfterLimit() throws IOException {
    proxy.toxics().limitData("cap", ToxicDirection.DOWNSTREAM, 1_000);
    var payload = Sockets.randomBytes(5_000, 5);
    try (var socket = Sockets.connect(proxy.getListen())) {
      socket.getOutputStream().write(payload);

      assertThat(Sockets.readUntilClosed(socket).bytes())
          .isEqualTo(Sockets.prefix(payload, 1_000));
    }
  }

  @Test
  void limitData_updatedOnLiveConnection_keepsCountingSentBytes() throws IOException {
    var limit = proxy.toxics().limitData("cap", ToxicDirection.DOWNSTREAM, 1_000);
    var payload = Sockets.randomBytes(600, 6);
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, payload)).isEqualTo(payload);

      limit.setBytes(1_000);
      limit.setBytes(900);
      socket.getOutputStream().write(payload);

      assertThat(Sockets.readUntilClosed(socket).bytes()).isEqualTo(Sockets.prefix(payload, 300));
    }
  }

  @Test
  void slowClose_downstream_delaysTheCloseByDelay() throws IOException {
    var greeting = "bye".getBytes(StandardCharsets.US_ASCII);
    try (var closing = TestUpstream.greetAndClose(greeting)) {
      var slow = client.createProxy("closing", "127.0.0.1:0", closing.address());
      slow.toxics().slowClose("linger", ToxicDirection.DOWNSTREAM, 400);
      long start = System.nanoTime();
      try (var socket = Sockets.connect(slow.getListen())) {
        var result = Sockets.readUntilClosed(socket);

        assertThat(result.bytes()).isEqualTo(greeting);
        assertThat(result.end()).isEqualTo(Sockets.End.EOF);
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(400);
      }
    }
  }

  @Test
  void close_serverWithLiveConnections_closesThemAndStopsAllThreads() throws Exception {
    proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 10_000);
    try (var socket = Sockets.connect(proxy.getListen())) {
      socket.getOutputStream().write(PING);
      awaitReceived(echo, PING.length);

      server.close();

      assertThat(Sockets.readUntilClosed(socket).bytes()).isEmpty();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!proxyThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(proxyThreads()).isEmpty();
  }

  private static List<String> proxyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("toxiproxy-"))
        .toList();
  }

  private static void awaitReceived(TestUpstream upstream, int bytes) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (upstream.received().length < bytes) {
      if (System.nanoTime() > deadline) {
        throw new IOException("upstream got " + upstream.received().length + " of " + bytes);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }
}
