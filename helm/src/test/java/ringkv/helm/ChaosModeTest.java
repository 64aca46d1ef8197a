package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chaos mode: node N advertises Service ringkv-chaos-N; each of its ports must lead, through a
 * Toxiproxy proxy, to the same port of pod ringkv-N.
 */
class ChaosModeTest {
  private static final String DOMAIN = "ringkv.svc.cluster.local";
  private final Manifests chaos = Charts.render(Map.of("chaos.enabled", true, "nodes", 4));

  private Map<Integer, JsonNode> proxiesByListenPort() throws Exception {
    String json = chaos.named(ConfigMap.class, "ringkv-toxiproxy").getData().get("toxiproxy.json");
    Map<Integer, JsonNode> byPort = new HashMap<>();
    for (JsonNode proxy : new ObjectMapper().readTree(json)) {
      int port = Integer.parseInt(proxy.get("listen").asText().replaceAll(".*:", ""));
      assertThat(byPort.put(port, proxy)).as("two proxies listen on %d", port).isNull();
    }
    return byPort;
  }

  @Test
  void everyNodePort_leadsThroughAProxyToTheSamePortOfItsPod() throws Exception {
    Map<Integer, JsonNode> proxies = proxiesByListenPort();

    assertThat(proxies).hasSize(4 * 3);
    for (int n = 0; n < 4; n++) {
      Service service = chaos.named(Service.class, "ringkv-chaos-" + n);
      assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "toxiproxy");
      for (ServicePort port : service.getSpec().getPorts()) {
        JsonNode proxy = proxies.get(port.getTargetPort().getIntVal());
        assertThat(proxy).as("proxy behind %s:%d", service.getMetadata().getName(), port.getPort()).isNotNull();
        assertThat(proxy.get("upstream").asText())
            .isEqualTo("ringkv-" + n + ".ringkv-headless." + DOMAIN + ":" + port.getPort());
        assertThat(proxy.get("enabled").asBoolean()).isTrue();
      }
      assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort)
          .containsExactlyInAnyOrder(chaos.nodePort("raft"), chaos.nodePort("grpc"), chaos.nodePort("admin"));
    }
  }

  @Test
  void toxiproxy_loadsTheProxiesAndServesItsApi() {
    Deployment deployment = chaos.named(Deployment.class, "ringkv-toxiproxy");
    Container toxiproxy = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Service api = chaos.named(Service.class, "ringkv-toxiproxy");

    assertThat(toxiproxy.getArgs()).contains("-host=0.0.0.0", "-port=8474", "-config=/etc/toxiproxy/toxiproxy.json");
    assertThat(toxiproxy.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/etc/toxiproxy"));
    assertThat(api.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8474));
    assertThat(api.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    // the nodes' Services must not select Toxiproxy, nor the chaos Services the nodes
    assertThat(chaos.named(Service.class, "ringkv").getSpec().getSelector())
        .containsEntry("app.kubernetes.io/component", "node");
  }

  @Test
  void toxiproxy_restartsWhenItsProxiesChange() {
    // it reads its -config file only at start
    String four = checksum(chaos);
    String five = checksum(Charts.render(Map.of("chaos.enabled", true, "nodes", 5)));
    String fourAgain = checksum(Charts.render(Map.of("chaos.enabled", true, "nodes", 4)));

    assertThat(four).isNotBlank().isNotEqualTo(five).isEqualTo(fourAgain);
  }

  private static String checksum(Manifests m) {
    return m.named(Deployment.class, "ringkv-toxiproxy").getSpec().getTemplate().getMetadata().getAnnotations()
        .get("checksum/config");
  }

  @Test
  void chaosOff_deploysNoToxiproxy() {
    assertThat(Charts.render().kindsAndNames()).noneMatch(name -> name.contains("toxiproxy") || name.contains("chaos"));
  }
}
