package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.server.config.BootstrapSettings;
import ringkv.server.config.ConfigLoader;
import ringkv.server.config.NodeConfig;

/**
 * Each pod's start, run through a real shell, gives kv-server settings that kv-server's own
 * ConfigLoader accepts, and they are the ones the rest of the manifest assumes.
 */
class NodeSettingsTest {
  private static final String DOMAIN = "ringkv.svc.cluster.local";

  @TempDir Path scratch;

  private NodeConfig configOf(Manifests m, int ordinal) throws Exception {
    PodStart start = PodStart.of(m, "ringkv-" + ordinal, scratch);
    assertThat(start.program()).isEqualTo(PodStart.KV_SERVER);
    return ConfigLoader.load(null, start.env(), start.flags());
  }

  @Test
  void podZero_bootstrapsTheClusterWithTheValuesShape() throws Exception {
    Manifests m = Charts.render(Map.of("shards", 4, "partitions", 512));

    NodeConfig config = configOf(m, 0);

    assertThat(config.bootstrap()).isEqualTo(new BootstrapSettings(4, 3, 512));
    assertThat(config.join()).isEmpty();
  }

  @Test
  void podZero_joinsInsteadOfBootstrapping_whenAnotherSeedAlreadyServes() throws Exception {
    // pod 0 lost its data dir while the cluster runs: a second bootstrap would fork the cluster
    Manifests m = Charts.render();
    try (ServerSocket podOneApi = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String podOne = "ringkv-1.ringkv-headless." + DOMAIN + ":8000";
      PodStart start = PodStart.of(m, "ringkv-0", scratch,
          script -> script.replace("in " + podOne, "in 127.0.0.1:" + podOneApi.getLocalPort()));

      NodeConfig config = ConfigLoader.load(null, start.env(), start.flags());
      assertThat(config.bootstrap()).isNull();
      assertThat(config.join()).contains(podOne);
    }
  }

  @Test
  void otherPods_joinThroughTheFirstThreePodsDnsNames() throws Exception {
    Manifests m = Charts.render(Map.of("nodes", 5));

    for (int ordinal = 1; ordinal < 5; ordinal++) {
      NodeConfig config = configOf(m, ordinal);
      assertThat(config.bootstrap()).isNull();
      assertThat(config.join()).containsExactly(
          "ringkv-0.ringkv-headless." + DOMAIN + ":8000",
          "ringkv-1.ringkv-headless." + DOMAIN + ":8000",
          "ringkv-2.ringkv-headless." + DOMAIN + ":8000");
    }
  }

  @Test
  void joinList_doesNotChangeWhenScalingBeyondThreeNodes() {
    // a changed pod template would restart every pod on a scale-up
    assertThat(Charts.render(Map.of("nodes", 3)).node().getArgs())
        .isEqualTo(Charts.render(Map.of("nodes", 9)).node().getArgs());
  }

  @Test
  void bootstrapShape_doesNotChangeThePodTemplate() {
    // a change of shards is carried out online by the reshard hook; it must not restart every pod
    Manifests three = Charts.render(Map.of("shards", 3));
    Manifests five = Charts.render(Map.of("shards", 5));

    assertThat(three.statefulSet().getSpec().getTemplate()).isEqualTo(five.statefulSet().getSpec().getTemplate());
    assertThat(five.named(ConfigMap.class, "ringkv-bootstrap").getData()).containsEntry("shards", "5");
  }

  @Test
  void singleNode_bootstrapsAloneAndJoinsNobody() throws Exception {
    Manifests m = Charts.render(Map.of("nodes", 1, "replication", 1));

    assertThat(configOf(m, 0).bootstrap()).isEqualTo(new BootstrapSettings(3, 1, 1024));
  }

  @Test
  void everyPod_isNamedAfterItsPodAndAdvertisesItsHeadlessDnsName() throws Exception {
    Manifests m = Charts.render();

    for (int ordinal = 0; ordinal < 3; ordinal++) {
      NodeConfig config = configOf(m, ordinal);
      assertThat(config.nodeId().value()).isEqualTo("ringkv-" + ordinal);
      assertThat(config.advertiseHost()).isEqualTo("ringkv-" + ordinal + ".ringkv-headless." + DOMAIN);
      assertThat(config.bindHost()).isEqualTo("0.0.0.0");
      assertThat(config.clusterId()).isEqualTo("ringkv");
      assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/ringkv/data"));
    }
  }

  @Test
  void serverPorts_areTheContainerPortsAndTheServicesTargets() throws Exception {
    Manifests m = Charts.render(Map.of("ports.raft", 17000, "ports.api", 18000, "ports.admin", 19000));

    NodeConfig config = configOf(m, 1);

    assertThat(List.of(config.raftPort(), config.apiPort(), config.adminPort())).containsExactly(17000, 18000, 19000);
    assertThat(m.nodePort("raft")).isEqualTo(config.raftPort());
    assertThat(m.nodePort("grpc")).isEqualTo(config.apiPort());
    assertThat(m.nodePort("admin")).isEqualTo(config.adminPort());
    assertThat(config.join()).allMatch(endpoint -> endpoint.endsWith(":" + config.apiPort()));
  }

  @Test
  void dataDir_isOnTheDataVolume() throws Exception {
    Manifests m = Charts.render();
    NodeConfig config = configOf(m, 0);

    String mountPath = m.node().getVolumeMounts().stream().filter(v -> v.getName().equals("data")).findFirst()
        .orElseThrow().getMountPath();
    // Path.startsWith compares names; AssertJ's startsWith would look at the real file system
    assertThat(config.dataDir().startsWith(Path.of(mountPath))).as("%s under %s", config.dataDir(), mountPath).isTrue();
  }

  @Test
  void extraEnv_reachesTheServer() throws Exception {
    Manifests m = Charts.render(Map.of("extraEnv.RINGKV_ELECTION_TIMEOUT_MIN", "3s"));

    assertThat(configOf(m, 2).raft().electionTimeoutMin()).hasSeconds(3);
  }

  @Test
  void chaosMode_advertisesThePodsToxiproxyService() throws Exception {
    Manifests m = Charts.render(Map.of("chaos.enabled", true));

    assertThat(configOf(m, 2).advertiseHost()).isEqualTo("ringkv-chaos-2." + DOMAIN);
  }
}
