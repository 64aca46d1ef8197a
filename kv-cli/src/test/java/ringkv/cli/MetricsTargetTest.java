package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ringkv.api.v1.NodeInfo;

class MetricsTargetTest {
  @Test
  void of_adminPortZero_apiPortPlus1000() {
    MetricsTarget target = MetricsTarget.of(ClusterFixtures.node("n2", 2));
    assertThat(target).isEqualTo(new MetricsTarget("n2", "127.0.0.1", 9002));
    assertThat(target.url()).hasToString("http://127.0.0.1:9002/metrics");
  }

  @Test
  void of_adminPortInMap_used() {
    NodeInfo node = ClusterFixtures.node("n1", 1).toBuilder().setAdminPort(19001).build();
    assertThat(MetricsTarget.of(node).port()).isEqualTo(19001);
  }

  @Test
  void url_ipv6Host_inBrackets() {
    MetricsTarget target = new MetricsTarget("n1", "::1", 9001);
    assertThat(target.address()).isEqualTo("[::1]:9001");
    assertThat(target.url()).hasToString("http://[::1]:9001/metrics");
  }

  @Test
  void new_badPort_rejected() {
    assertThatThrownBy(() -> new MetricsTarget("n1", "h", 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 1-65535, got 70000");
  }
}
