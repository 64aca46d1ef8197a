package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the StatefulSet, Services and PDB must promise, whatever the values. */
class ChartInvariantsTest {
  private final Manifests defaults = Charts.render();

  private StatefulSetSpec spec(Manifests m) {
    return m.statefulSet().getSpec();
  }

  private PodSpec pod(Manifests m) {
    return spec(m).getTemplate().getSpec();
  }

  @Test
  void statefulSet_startsPodsInParallelBehindTheHeadlessService() {
    Service headless = defaults.named(Service.class, "ringkv-headless");

    assertThat(spec(defaults).getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(spec(defaults).getServiceName()).isEqualTo("ringkv-headless");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    // a node joins through the others before any of them is ready
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getSelector()).isEqualTo(spec(defaults).getSelector().getMatchLabels());
  }

  @Test
  void probes_pointAtReadyzAndHealthzOnTheAdminPort() {
    Container node = defaults.node();
    int adminPort = Integer.parseInt(defaults.nodeEnv().get("RINGKV_ADMIN_PORT"));

    assertHttpProbe(node, node.getReadinessProbe(), "/readyz", adminPort);
    assertHttpProbe(node, node.getLivenessProbe(), "/healthz", adminPort);
    assertHttpProbe(node, node.getStartupProbe(), "/healthz", adminPort);
  }

  private static void assertHttpProbe(Container node, Probe probe, String path, int port) {
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).isEqualTo(path);
    assertThat(resolve(node, get.getPort())).as("port of the %s probe", path).isEqualTo(port);
  }

  /** A named port resolves through the container's ports, as the kubelet does. */
  private static int resolve(Container node, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return node.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
  }

  @Test
  void services_targetPortsTheContainerDeclares() {
    for (Service service : List.of(defaults.named(Service.class, "ringkv"), defaults.named(Service.class, "ringkv-headless"))) {
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(resolve(defaults.node(), port.getTargetPort())).as("%s port %s", service.getMetadata().getName(), port.getName())
            .isEqualTo(port.getPort());
      }
    }
    assertThat(defaults.named(Service.class, "ringkv").getSpec().getPorts()).extracting(ServicePort::getName)
        .contains("grpc");
  }

  @Test
  void pdb_allowsOneNodeDownAndSelectsTheNodes() {
    PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);

    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(spec(defaults).getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void antiAffinity_preferredByDefaultRequiredWhenHard() {
    var soft = pod(defaults).getAffinity().getPodAntiAffinity();
    var hard = pod(Charts.render(Map.of("antiAffinity", "hard"))).getAffinity().getPodAntiAffinity();

    assertThat(soft.getRequiredDuringSchedulingIgnoredDuringExecution()).isEmpty();
    assertThat(soft.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
      assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
          .isEqualTo(spec(defaults).getSelector().getMatchLabels());
    });
    assertThat(hard.getPreferredDuringSchedulingIgnoredDuringExecution()).isEmpty();
    assertThat(hard.getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
        .satisfies(term -> assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
  }

  @Test
  void preStop_drainsThisPodsNodeThroughItsOwnApiPort() {
    List<String> command = defaults.node().getLifecycle().getPreStop().getExec().getCommand();

    assertThat(command).hasSize(3).startsWith("/bin/sh", "-c");
    assertThat(command.get(2)).isEqualTo(
        "exec /opt/ringkv/bin/kvctl node drain \"$RINGKV_NODE_ID\" --endpoints 127.0.0.1:8000 --timeout 60s");
    assertThat(defaults.node().getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("RINGKV_NODE_ID");
      assertThat(e.getValue()).isEqualTo("$(POD_NAME)");
    });
  }

  /** kvctl node drain waits this long past its --timeout for the node's report. */
  private static final int KVCTL_ANSWER_MARGIN_SECONDS = 10;

  @Test
  void terminationGrace_outlastsTheDrainTimeoutAndKvctlsWaitForTheReport() {
    for (int timeout : List.of(10, 60, 600)) {
      Manifests m = Charts.render(Map.of("drain.timeoutSeconds", timeout));
      assertThat(pod(m).getTerminationGracePeriodSeconds()).isGreaterThan(timeout + KVCTL_ANSWER_MARGIN_SECONDS);
      assertThat(m.node().getLifecycle().getPreStop().getExec().getCommand().get(2)).endsWith("--timeout " + timeout + "s");
    }
  }

  @Test
  void drainDisabled_hasNoPreStopHook() {
    assertThat(Charts.render(Map.of("drain.enabled", false)).node().getLifecycle()).isNull();
  }

  @Test
  void security_nonRootReadOnlyRootNoCapabilities() {
    var podSecurity = pod(defaults).getSecurityContext();
    var container = defaults.node().getSecurityContext();

    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isPositive();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isEmpty();
    // with a read-only root the JVM still needs a writable /tmp
    assertThat(defaults.node().getVolumeMounts()).anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/tmp"));
    // Service links would put <SERVICE>_PORT variables next to kv-server's RINGKV_* settings
    assertThat(pod(defaults).getEnableServiceLinks()).isFalse();
  }

  @Test
  void resources_comeFromValues() {
    var resources = Charts.render(Map.of("resources.requests.cpu", "2", "resources.limits.memory", "3Gi"))
        .node().getResources();

    assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("2");
    assertThat(resources.getLimits().get("memory").toString()).isEqualTo("3Gi");
  }

  @Test
  void persistence_claimsAVolumePerPodOrUsesEmptyDir() {
    var claims = Charts.render(Map.of("persistence.size", "20Gi", "persistence.storageClass", "ssd"))
        .statefulSet().getSpec().getVolumeClaimTemplates();
    assertThat(claims).singleElement().satisfies(claim -> {
      assertThat(claim.getMetadata().getName()).isEqualTo("data");
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("ssd");
      assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
    });

    Manifests ephemeral = Charts.render(Map.of("persistence.enabled", false));
    assertThat(spec(ephemeral).getVolumeClaimTemplates()).isEmpty();
    assertThat(pod(ephemeral).getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("data");
      assertThat(v.getEmptyDir()).isNotNull();
    });
  }

  @Test
  void everyMountedVolume_isDeclared() {
    for (Manifests m : List.of(defaults, Charts.render(Map.of("persistence.enabled", false)))) {
      var declared = new java.util.HashSet<String>();
      pod(m).getVolumes().forEach(v -> declared.add(v.getName()));
      spec(m).getVolumeClaimTemplates().forEach(c -> declared.add(c.getMetadata().getName()));
      assertThat(declared).containsAll(m.node().getVolumeMounts().stream().map(v -> v.getName()).toList());
    }
  }
}
