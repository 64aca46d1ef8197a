package ringkv.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** The HTTP API as toxiproxy-java 2.1.11 drives it: shapes, status codes, defaults. */
@org.junit.jupiter.api.Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
class ToxiproxyServerApiTest {
  private ToxiproxyServer server;
  private ToxiproxyClient client;
  private TestUpstream upstream;

  @BeforeEach
  void start() throws IOException {
    server = ToxiproxyServer.start("127.0.0.1", 0, 42);
    client = new ToxiproxyClient("127.0.0.1", server.port());
    upstream = TestUpstream.echo();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    upstream.close();
  }

  private Proxy createProxy(String name) throws IOException {
    return client.createProxy(name, "127.0.0.1:0", upstream.address());
  }

  @Test
  void version_always_returnsToxiproxyVersionJson() throws IOException {
    assertThat(client.version()).isEqualTo("{\"version\":\"" + ToxiproxyServer.VERSION + "\"}");
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
  }

  @Test
  void createProxy_listenPortZero_returnsBoundAddress() throws IOException {
    var proxy = createProxy("db");

    assertThat(proxy.getName()).isEqualTo("db");
    assertThat(proxy.getListen()).startsWith("127.0.0.1:").doesNotEndWith(":0");
    assertThat(proxy.getUpstream()).isEqualTo(upstream.address());
    assertThat(proxy.isEnabled()).isTrue();
    try (var socket = Sockets.connect(proxy.getListen())) {
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Test
  void getProxies_twoProxies_listsBothByName() throws IOException {
    var first = createProxy("first");
    createProxy("second");

    var proxies = client.getProxies();

    assertThat(proxies).extracting(Proxy::getName).containsExactlyInAnyOrder("first", "second");
    var fetched = client.getProxy("first");
    assertThat(fetched.getListen()).isEqualTo(first.getListen());
    assertThat(fetched.getUpstream()).isEqualTo(upstream.address());
    assertThat(fetched.isEnabled()).isTrue();
  }

  @Test
  void getProxy_unknownName_isNotFound() {
    assertThat(client.getProxyOrNull("missing")).isNull();
    assertThatThrownBy(() -> client.getProxy("missing"))
        .isInstanceOf(IOException.class)
        .hasMessage("[404] proxy not found");
  }

  @Test
  void createProxy_duplicateName_isConflict() throws IOException {
    createProxy("db");

    assertThatThrownBy(() -> createProxy("db"))
        .isInstanceOf(IOException.class)
        .hasMessage("[409] proxy already exists");
  }

  @Test
  void createProxy_missingNameOrUpstream_isBadRequest() {
    assertThatThrownBy(() -> client.createProxy(null, "127.0.0.1:0", upstream.address()))
        .hasMessage("[400] missing required field: name");
    assertThatThrownBy(() -> client.createProxy("db", "127.0.0.1:0", null))
        .hasMessage("[400] missing required field: upstream");
  }

  @Test
  void delete_existingProxy_removesItAndClosesItsPort() throws IOException {
    var proxy = createProxy("db");

    proxy.delete();

    assertThat(client.getProxyOrNull("db")).isNull();
    assertThatThrownBy(() -> Sockets.connect(proxy.getListen()))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(proxy::delete).isInstanceOf(IOException.class);
  }

  @Test
  void disableThenEnable_proxy_isReflectedInApiAndListensOnSamePort() throws IOException {
    var proxy = createProxy("db");
    var listen = proxy.getListen();

    proxy.disable();
    assertThat(proxy.isEnabled()).isFalse();
    assertThat(client.getProxy("db").isEnabled()).isFalse();

    proxy.enable();
    assertThat(proxy.isEnabled()).isTrue();
    assertThat(proxy.getListen()).isEqualTo(listen);
  }

  @Test
  void setListen_newAddress_movesTheListener() throws IOException {
    var proxy = createProxy("db");
    var oldListen = proxy.getListen();

    proxy.setListen("127.0.0.1:0");

    assertThat(proxy.getListen()).isNotEqualTo(oldListen).doesNotEndWith(":0");
    assertThat(client.getProxy("db").getListen()).isEqualTo(proxy.getListen());
    try (Socket socket = Sockets.connect(proxy.getListen())) {
      assertThat(Sockets.roundTrip(socket, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
  }

  @Test
  void setUpstream_newAddress_isReturned() throws IOException {
    var proxy = createProxy("db");

    proxy.setUpstream("127.0.0.1:1");

    assertThat(proxy.getUpstream()).isEqualTo("127.0.0.1:1");
    assertThat(proxy.isEnabled()).isTrue();
  }

  @Test
  void reset_disabledProxyWithToxics_isEnabledWithoutToxics() throws IOException {
    var proxy = createProxy("db");
    proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
    proxy.disable();

    client.reset();

    assertThat(proxy.isEnabled()).isTrue();
    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(client.getProxy("db").isEnabled()).isTrue();
  }

  @Test
  void latency_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var latency = toxics.latency("lat", ToxicDirection.UPSTREAM, 100);
    assertThat(latency.getLatency()).isEqualTo(100);
    assertThat(latency.getJitter()).isZero();
    assertThat(latency.getStream()).isEqualTo(ToxicDirection.UPSTREAM);
    assertThat(latency.getToxicity()).isEqualTo(1.0f);

    latency.setJitter(20).setLatency(150);
    var fetched = toxics.get("lat", Latency.class);

    assertThat(fetched.getLatency()).isEqualTo(150);
    assertThat(fetched.getJitter()).isEqualTo(20);
    assertCommonOperations(toxics, "lat", Latency.class);
  }

  @Test
  void bandwidth_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var bandwidth = toxics.bandwidth("bw", ToxicDirection.DOWNSTREAM, 10);
    assertThat(bandwidth.getRate()).isEqualTo(10);

    bandwidth.setRate(20);

    assertThat(toxics.get("bw", Bandwidth.class).getRate()).isEqualTo(20);
    assertCommonOperations(toxics, "bw", Bandwidth.class);
  }

  @Test
  void slowClose_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var slowClose = toxics.slowClose("sc", ToxicDirection.DOWNSTREAM, 100);
    assertThat(slowClose.getDelay()).isEqualTo(100);

    slowClose.setDelay(200);

    assertThat(toxics.get("sc", SlowClose.class).getDelay()).isEqualTo(200);
    assertCommonOperations(toxics, "sc", SlowClose.class);
  }

  @Test
  void timeout_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var timeout = toxics.timeout("to", ToxicDirection.UPSTREAM, 1000);
    assertThat(timeout.getTimeout()).isEqualTo(1000);

    timeout.setTimeout(2000);

    assertThat(toxics.get("to", Timeout.class).getTimeout()).isEqualTo(2000);
    assertCommonOperations(toxics, "to", Timeout.class);
  }

  @Test
  void resetPeer_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var resetPeer = toxics.resetPeer("rp", ToxicDirection.UPSTREAM, 100);
    assertThat(resetPeer.getTimeout()).isEqualTo(100);

    resetPeer.setTimeout(300);

    assertThat(toxics.get("rp", ResetPeer.class).getTimeout()).isEqualTo(300);
    assertCommonOperations(toxics, "rp", ResetPeer.class);
  }

  @Test
  void slicer_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    // The client's slicer(name, stream, averageSize, delay) leaves size_variation at 0.
    var slicer = toxics.slicer("sl", ToxicDirection.DOWNSTREAM, 100, 10);
    assertThat(slicer.getAverageSize()).isEqualTo(100);
    assertThat(slicer.getSizeVariation()).isZero();
    assertThat(slicer.getDelay()).isEqualTo(10);

    slicer.setAverageSize(50).setSizeVariation(5).setDelay(7);

    var fetched = toxics.get("sl", Slicer.class);
    assertThat(fetched.getAverageSize()).isEqualTo(50);
    assertThat(fetched.getSizeVariation()).isEqualTo(5);
    assertThat(fetched.getDelay()).isEqualTo(7);
    assertCommonOperations(toxics, "sl", Slicer.class);
  }

  @Test
  void limitData_throughClient_supportsEveryOperation() throws IOException {
    var toxics = createProxy("db").toxics();
    var limitData = toxics.limitData("ld", ToxicDirection.DOWNSTREAM, 1000);
    assertThat(limitData.getBytes()).isEqualTo(1000);

    limitData.setBytes(2000);

    assertThat(toxics.get("ld", LimitData.class).getBytes()).isEqualTo(2000);
    assertCommonOperations(toxics, "ld", LimitData.class);
  }

  /** getAll, toxicity, a type mismatch, remove, and 404 after removal. */
  private static void assertCommonOperations(
      ToxicList toxics, String name, Class<? extends Toxic> type)
      throws IOException {
    assertThat(toxics.getAll()).singleElement().isInstanceOf(type);
    var toxic = toxics.get(name);

    toxic.setToxicity(0.25f);
    assertThat(toxic.getToxicity()).isEqualTo(0.25f);
    assertThat(toxics.get(name).getToxicity()).isEqualTo(0.25f);

    toxic.remove();
    assertThat(toxics.getAll()).isEmpty();
    assertThatThrownBy(() -> toxics.get(name)).hasMessage("[404] toxic not found");
  }

  @Test
  void createToxic_duplicateName_isConflict() throws IOException {
    var toxics = createProxy("db").toxics();
    toxics.latency("lat", ToxicDirection.DOWNSTREAM, 10);

    assertThatThrownBy(() -> toxics.timeout("lat", ToxicDirection.UPSTREAM, 10))
        .hasMessage("[409] toxic already exists");
  }

  @Test
  void toxics_ofSeveralTypesAndStreams_areListedInOrderAdded() throws IOException {
    var toxics = createProxy("db").toxics();
    toxics.latency("a", ToxicDirection.DOWNSTREAM, 10);
    toxics.bandwidth("b", ToxicDirection.UPSTREAM, 10);
    toxics.limitData("c", ToxicDirection.DOWNSTREAM, 10);

    assertThat(toxics.getAll()).extracting(Toxic::getName).containsExactly("a", "b", "c");
    assertThat(client.getProxy("db").toxics().getAll()).hasSize(3);
  }

  @Test
  void toxicOperations_deletedProxy_areNotFound() throws IOException {
    var proxy = createProxy("db");
    proxy.delete();

    assertThatThrownBy(() -> proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 10))
        .hasMessage("[404] proxy not found");
    assertThatThrownBy(() -> proxy.toxics().getAll()).hasMessage("[404] proxy not found");
  }

  @Test
  void start_portInUse_throwsUnchecked() {
    assertThatThrownBy(() -> ToxiproxyServer.start("127.0.0.1", server.port()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:" + server.port());
  }

  @Test
  void close_server_freesApiAndProxyPorts() throws IOException {
    var proxy = createProxy("db");
    var apiPort = server.port();

    server.close();
    server.close();

    assertThatThrownBy(() -> Sockets.connect("127.0.0.1:" + apiPort))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> Sockets.connect(proxy.getListen()))
        .isInstanceOf(ConnectException.class);
    try (var again = ToxiproxyServer.start("127.0.0.1", apiPort)) {
      assertThat(new ToxiproxyClient("127.0.0.1", apiPort).getProxies()).isEmpty();
    }
  }
}
