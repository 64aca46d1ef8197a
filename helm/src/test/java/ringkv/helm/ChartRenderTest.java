package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The chart renders, for the shipped values files and for --set overrides, into valid typed objects. */
class ChartRenderTest {
  @Test
  void defaults_renderStatefulSetBootstrapShapeServicesPdbAndLayoutHooksOnly() {
    Manifests m = Charts.render();

    assertThat(m.kindsAndNames()).containsExactlyInAnyOrder(
        "StatefulSet/ringkv", "ConfigMap/ringkv-bootstrap", "Service/ringkv-headless", "Service/ringkv",
        "PodDisruptionBudget/ringkv", "Job/ringkv-remove-nodes", "Job/ringkv-reshard");
  }

  @Test
  void minikubeValues_useTheLocallyBuiltImageWithoutPulling() {
    Manifests m = Charts.renderWithFiles(List.of(Locations.HELM_DIR.resolve("values/minikube.yaml")));

    assertThat(m.node().getImage()).isEqualTo("ringkv/kv-server:dev");
    assertThat(m.node().getImagePullPolicy()).isEqualTo("Never");
    assertThat(m.statefulSet().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void productionValues_addServiceMonitorAndDashboardAndRequireSpreading() {
    Manifests m = Charts.renderWithFiles(List.of(Locations.HELM_DIR.resolve("values/production.yaml")));

    assertThat(m.statefulSet().getSpec().getReplicas()).isEqualTo(5);
    assertThat(m.all(GenericKubernetesResource.class)).extracting(HasMetadata::getKind).containsExactly("ServiceMonitor");
    assertThat(m.named(ConfigMap.class, "ringkv-dashboard").getData()).containsKey("ringkv.json");
    assertThat(m.statefulSet().getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
  }

  static Stream<Arguments> overrides() {
    return Stream.of(
        Arguments.of(Map.of("nodes", 5, "replication", 5)),
        Arguments.of(Map.of("nodes", 1, "replication", 1, "shards", 1)),
        Arguments.of(Map.of("antiAffinity", "hard")),
        Arguments.of(Map.of("persistence.enabled", false)),
        Arguments.of(Map.of("persistence.storageClass", "standard", "persistence.size", "20Gi")),
        Arguments.of(Map.of("drain.enabled", false, "pdb.enabled", false)),
        Arguments.of(Map.of("ports.raft", 17000, "ports.api", 18000, "ports.admin", 19000)),
        Arguments.of(Map.of("metrics.serviceMonitor.enabled", true, "metrics.dashboard.enabled", true)),
        Arguments.of(Map.of("chaos.enabled", true, "nodes", 4)),
        Arguments.of(Map.of("reshardHook.enabled", false, "shards", 5)),
        Arguments.of(Map.of("extraEnv.RINGKV_LOG_FORMAT", "json", "image.tag", "9.9.9", "service.type", "NodePort")));
  }

  @ParameterizedTest
  @MethodSource("overrides")
  void setOverrides_renderValidObjects(Map<String, Object> set) {
    Manifests m = Charts.render(set);

    assertThat(m.all(StatefulSet.class)).hasSize(1);
    for (HasMetadata object : m.objects()) {
      assertThat(object.getMetadata().getName()).as("name of %s", object.getKind()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      assertThat(object.getMetadata().getLabels()).as("labels of %s", object.getKind())
          .containsEntry("app.kubernetes.io/instance", Charts.RELEASE);
    }
  }

  @Test
  void setOverrides_areApplied() {
    Manifests m = Charts.render(Map.of("nodes", 7, "image.repository", "example.org/kv", "image.tag", "1.2.3"));

    assertThat(m.statefulSet().getSpec().getReplicas()).isEqualTo(7);
    assertThat(m.node().getImage()).isEqualTo("example.org/kv:1.2.3");
  }

  @Test
  void imageTag_defaultsToTheChartsAppVersion() {
    assertThat(Charts.render().node().getImage()).isEqualTo("ringkv/kv-server:0.1.0");
  }

  @Test
  void toggles_addAndRemoveTheirObjects() {
    assertThat(Charts.render(Map.of("pdb.enabled", false)).all(PodDisruptionBudget.class)).isEmpty();
    Manifests chaos = Charts.render(Map.of("chaos.enabled", true));
    assertThat(chaos.all(Deployment.class)).extracting(d -> d.getMetadata().getName()).containsExactly("ringkv-toxiproxy");
    // the Toxiproxy API plus one Service per node
    assertThat(chaos.all(Service.class)).extracting(s -> s.getMetadata().getName())
        .contains("ringkv-toxiproxy", "ringkv-chaos-0", "ringkv-chaos-1", "ringkv-chaos-2").hasSize(2 + 1 + 3);
  }

  @Test
  void unknownField_isDetected() {
    // the strict check must be able to fail: a misplaced field lands in additionalProperties
    Manifests m = Manifests.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec: {clusterIp: None, ports: [{port: 1, targetPort: 1}]}
        """);

    assertThat(UnknownFields.in(m.objects().get(0))).containsExactly("Service.spec: [clusterIp]");
  }
}
