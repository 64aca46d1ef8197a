package ringkv.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ringkv.chaos.proxy.ToxiproxyServer;

class ProxyServersTest {
  @Test
  void url_given_usesThatServer_andLeavesItRunning() throws Exception {
    try (ToxiproxyServer external = ToxiproxyServer.start("127.0.0.1", 0)) {
      ProxyServers.Running running = ProxyServers.connectOrStart(external.baseUrl());
      running.client().createProxy("probe", "127.0.0.1:0", "127.0.0.1:1");
      running.close();
      // closing what the harness did not start leaves it alone
      assertThat(running.client().getProxy("probe").getName()).isEqualTo("probe");
      assertThat(running.owned()).isNull();
    }
  }

  @Test
  void noUrl_startsItsOwnServer_andStopsItOnClose() throws Exception {
    ProxyServers.Running running = ProxyServers.connectOrStart(null);
    assertThat(running.client().version()).contains("version");
    running.close();
    assertThatThrownBy(() -> running.client().version()).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void urlThatDoesNotAnswer_clearError() {
    assertThatThrownBy(() -> ProxyServers.connectOrStart("http://127.0.0.1:1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("TOXIPROXY_URL=http://127.0.0.1:1 does not answer");
  }
}
