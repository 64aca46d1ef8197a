package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ServiceMonitor scrapes the admin port of every node; the Grafana dashboard asks for real metrics. */
class MetricsTest {
  private static final Pattern METRIC = Pattern.compile("\\b((?:ringkv|grpc_server)_[a-z_]+)");
  private final Manifests monitored = Charts.render(Map.of("metrics.serviceMonitor.enabled", true,
      "metrics.dashboard.enabled", true, "metrics.serviceMonitor.labels.release", "kps"));

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitor_scrapesMetricsOnTheAdminPortOfTheHeadlessService() {
    GenericKubernetesResource monitor = monitored.one(GenericKubernetesResource.class);
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kps");
    assertThat(spec.keySet()).containsExactlyInAnyOrder("selector", "namespaceSelector", "endpoints");
    // exactly the headless Service: every pod once, ready or not
    assertThat(monitored.all(Service.class)).filteredOn(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .extracting(s -> s.getMetadata().getName()).containsExactly("ringkv-headless");
    assertThat(endpoints).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", "admin").containsEntry("path", "/metrics");
      assertThat(e.keySet()).containsExactlyInAnyOrder("port", "path", "interval", "scrapeTimeout");
    });
  }

  @Test
  void dashboardConfigMap_holdsTheDashboardFileForTheGrafanaSidecar() throws Exception {
    ConfigMap map = monitored.named(ConfigMap.class, "ringkv-dashboard");
    String file = Files.readString(Locations.CHART.resolve("dashboards/ringkv.json"));

    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(new ObjectMapper().readTree(map.getData().get("ringkv.json"))).isEqualTo(new ObjectMapper().readTree(file));
  }

  @Test
  void dashboard_queriesOnlyMetricsThatMetricsMdDocuments() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Locations.CHART.resolve("dashboards/ringkv.json").toFile());
    String documented = Files.readString(Locations.REPO_DIR.resolve("docs/metrics.md"));
    List<String> exprs = new ArrayList<>();
    dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));

    TreeSet<String> undocumented = new TreeSet<>();
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        // histogram and summary series are documented by their base name
        String base = m.group(1).replaceAll("_(bucket|count|sum)$", "");
        if (!documented.contains("`" + base + "`") && !documented.contains("`" + base + " ")) {
          undocumented.add(m.group(1));
        }
      }
    }
    assertThat(exprs).hasSizeGreaterThan(5);
    assertThat(undocumented).as("metrics the dashboard queries but docs/metrics.md does not list").isEmpty();
  }
}
