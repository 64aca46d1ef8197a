package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.cli.ClusterStatusJson.Node.down;
import static ringkv.cli.ClusterStatusJson.Node.notInMap;
import static ringkv.cli.ClusterStatusJson.Node.up;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ringkv.cli.ClusterStatusJson;

/**
 * The layout hooks: a pre-upgrade Job removes the nodes whose pods the StatefulSet is about to
 * delete, a post-install/post-upgrade Job scales the shards and rebalances. Their script
 * (files/layout.sh) runs here in a real shell, with a stub kvctl that records its arguments and
 * answers `cluster status -o json` with what kvctl's own report prints.
 */
class LayoutHooksTest {
  private static final String KVCTL = "/opt/ringkv/bin/kvctl";
  private static final String ENDPOINT = "ringkv.ringkv.svc.cluster.local:8000";
  private static final String STATUS = "cluster status -o json --endpoints " + ENDPOINT;

  @TempDir Path scratch;

  static Stream<Arguments> valuesFiles() {
    return Stream.of(
        Arguments.of(List.of(), 3, 3),
        Arguments.of(List.of(Locations.HELM_DIR.resolve("values/minikube.yaml")), 3, 3),
        Arguments.of(List.of(Locations.HELM_DIR.resolve("values/production.yaml")), 5, 8));
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void hooks_renderAsHelmHooksWithTheValuesLayout(List<Path> files, int nodes, int shards) {
    Manifests m = Charts.renderWithFiles(files);

    Job remove = m.layoutJob("remove-nodes");
    Job reshard = m.layoutJob("reshard");
    assertThat(remove.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "pre-upgrade");
    assertThat(reshard.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "post-install,post-upgrade");
    for (Job job : List.of(remove, reshard)) {
      assertThat(job.getMetadata().getAnnotations())
          .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded")
          .containsKey("helm.sh/hook-weight");
      assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
      assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1500);
      assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
      Container container = Manifests.container(job);
      assertThat(container.getImage()).isEqualTo(m.node().getImage());
      assertThat(container.getImagePullPolicy()).isEqualTo(m.node().getImagePullPolicy());
      assertThat(env(container)).containsEntry("NODES", String.valueOf(nodes)).containsEntry("SHARDS", String.valueOf(shards))
          .containsEntry("ENDPOINTS", ENDPOINT).containsEntry("NODE_PREFIX", "ringkv-").containsEntry("WAIT_TIMEOUT", "600s");
    }
    assertThat(env(Manifests.container(remove))).containsEntry("STEP", "remove-nodes");
    assertThat(env(Manifests.container(reshard))).containsEntry("STEP", "reshard");
  }

  @Test
  void hooks_followSetValues() {
    assertThat(env(Manifests.container(Charts.render(Map.of("shards", 5)).layoutJob("reshard")))).containsEntry("SHARDS", "5");
    assertThat(env(Manifests.container(Charts.render(Map.of("nodes", 5)).layoutJob("remove-nodes")))).containsEntry("NODES", "5");
    Manifests m = Charts.render(Map.of("reshardHook.waitTimeoutSeconds", 1200, "reshardHook.clusterWaitSeconds", 60,
        "reshardHook.activeDeadlineSeconds", 3000, "reshardHook.backoffLimit", 0));
    Job job = m.layoutJob("reshard");
    assertThat(env(Manifests.container(job))).containsEntry("WAIT_TIMEOUT", "1200s").containsEntry("CLUSTER_WAIT_SECONDS", "60");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3000);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
  }

  @Test
  void disabled_rendersNoJob() {
    assertThat(Charts.render(Map.of("reshardHook.enabled", false)).all(Job.class)).isEmpty();
  }

  @Test
  void endpoint_isTheClientServicesApiPort() {
    Manifests m = Charts.render(Map.of("ports.api", 18000, "ports.raft", 17000, "ports.admin", 19000));
    Service client = m.named(Service.class, "ringkv");
    int grpc = client.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc")).findFirst()
        .map(ServicePort::getPort).orElseThrow();

    assertThat(env(Manifests.container(m.layoutJob("reshard"))))
        .containsEntry("ENDPOINTS", "ringkv.ringkv.svc.cluster.local:" + grpc);
    assertThat(grpc).isEqualTo(18000);
  }

  @Test
  void jobs_runLikeTheNodes_nonRootReadOnlyNoCapabilities_andAreNoNodes() {
    Manifests m = Charts.render();
    PodSpec nodePod = m.statefulSet().getSpec().getTemplate().getSpec();
    var nodeSelector = m.statefulSet().getSpec().getSelector().getMatchLabels();

    for (Job job : m.all(Job.class)) {
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      Container container = Manifests.container(job);
      assertThat(pod.getSecurityContext()).isEqualTo(nodePod.getSecurityContext());
      assertThat(container.getSecurityContext()).isEqualTo(m.node().getSecurityContext());
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getVolumeMounts()).anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/tmp"));
      assertThat(pod.getEnableServiceLinks()).isFalse();
      // only the RingKV API: no service account token, no RBAC
      assertThat(pod.getServiceAccountName()).isNull();
      // the Services and the PodDisruptionBudget select nodes; a hook pod must not be one
      assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainEntry(
          "app.kubernetes.io/component", nodeSelector.get("app.kubernetes.io/component"));
      assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", Charts.RELEASE);
    }
  }

  @Test
  void script_isTheChartsFileAndParses() throws Exception {
    String file = Files.readString(Locations.CHART.resolve("files/layout.sh"));
    for (Job job : Charts.render().all(Job.class)) {
      Container container = Manifests.container(job);
      assertThat(container.getCommand()).containsExactly("/bin/sh", "-c");
      assertThat(container.getArgs()).containsExactly(file);
      assertThat(file).contains(KVCTL);
      Process p = new ProcessBuilder("sh", "-n", "-c", container.getArgs().get(0)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("sh -n: %s", out).isZero();
    }
  }

  @Test
  void helmTimeout_outlastsTheHookDeadlineInEveryEnvironment() throws IOException {
    var helmfile = HelmfileReleasesTest.helmfile();
    for (var release : helmfile.get("releases")) {
      for (var env : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) helmfile.get("environments")::fields) {
        List<Path> files = new java.util.ArrayList<>();
        env.getValue().path("values").forEach(f -> files.add(Locations.HELM_DIR.resolve(f.asText())));
        long deadline = Charts.renderWithFiles(files).layoutJob("reshard").getSpec().getActiveDeadlineSeconds();
        assertThat(release.get("timeout").asLong()).as("helmfile timeout of %s in %s", release.get("name"), env.getKey())
            .isGreaterThan(deadline);
      }
    }
  }

  // The script, run with a stub kvctl

  @Test
  void scaleDown_fiveToThree_removesOrdinalsFourThenThree() throws Exception {
    Run run = run(Map.of("nodes", 3), "remove-nodes", status(3, nodes(5)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(
        STATUS,
        "node remove ringkv-4 --wait-timeout 600s --endpoints " + ENDPOINT,
        "node remove ringkv-3 --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void scaleUp_threeToFive_removesNothingBeforeTheUpgrade() throws Exception {
    Run run = run(Map.of("nodes", 5), "remove-nodes", status(3, nodes(3)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(STATUS);
  }

  @Test
  void unchangedNodes_removesNothing() throws Exception {
    Run run = run(Map.of(), "remove-nodes", status(3, nodes(3)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(STATUS);
  }

  @Test
  void scaleDown_rerun_removesOnlyWhatIsLeftAndNeverANodeOutsideTheMap() throws Exception {
    // a first run removed ringkv-4 and failed on ringkv-3; ringkv-4 still runs, outside the map
    var nodes = new java.util.ArrayList<>(nodes(4));
    nodes.add(notInMap("ringkv-4"));
    nodes.add(up("other-node-9"));
    Run run = run(Map.of("nodes", 3), "remove-nodes", status(3, nodes));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(STATUS, "node remove ringkv-3 --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void scaleDown_stopsAtTheFirstFailedRemoval() throws Exception {
    Run run = runFailing(Map.of("nodes", 3), "remove-nodes", status(3, nodes(5)), "node remove");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.calls()).containsExactly(STATUS, "node remove ringkv-4 --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void scaleDown_belowTheMapsReplication_isRefusedWithNothingRemoved() throws Exception {
    // the schema refuses nodes < replication of the values; the map's replication is what counts
    Run run = run(Map.of("nodes", 3), "remove-nodes", status(5, nodes(5)));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("refusing to scale to 3 nodes", "5 replicas", "at least 5 nodes");
    assertThat(run.calls()).containsExactly(STATUS);
  }

  @Test
  void reshard_scalesShardsThenRebalances() throws Exception {
    Run run = run(Map.of("shards", 5), "reshard", status(3, nodes(3)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(
        STATUS,
        "shard scale --to 5 --wait-timeout 600s --endpoints " + ENDPOINT,
        "node rebalance --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void reshard_afterScalingUp_rebalancesOntoTheNewNodes() throws Exception {
    Run run = run(Map.of("nodes", 5), "reshard", status(3, nodes(5)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(
        STATUS,
        "shard scale --to 3 --wait-timeout 600s --endpoints " + ENDPOINT,
        "node rebalance --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void reshard_waitsUntilEveryPodsNodeIsInTheMapAndUp() throws Exception {
    // ringkv-4 has not joined yet and ringkv-3 is down; the next read has them all
    var first = new java.util.ArrayList<>(nodes(3));
    first.add(down("ringkv-3"));
    Run run = run(Map.of("nodes", 5), "reshard", status(3, first), status(3, nodes(5)));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).containsExactly(
        STATUS, STATUS,
        "shard scale --to 3 --wait-timeout 600s --endpoints " + ENDPOINT,
        "node rebalance --wait-timeout 600s --endpoints " + ENDPOINT);
  }

  @Test
  void reshard_givesUpWhenNodesNeverJoin_namingThem() throws Exception {
    Run run = run(Map.of("nodes", 5, "reshardHook.clusterWaitSeconds", 0), "reshard", status(3, nodes(3)));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("gave up after 0s waiting for nodes ringkv-0..4 to be in the map and up");
    assertThat(run.calls()).containsExactly(STATUS);
  }

  @Test
  void eitherStep_failsWhenTheClusterCannotBeReached() throws Exception {
    for (String step : List.of("remove-nodes", "reshard")) {
      Run run = runFailing(Map.of("reshardHook.clusterWaitSeconds", 0), step, "UNAVAILABLE: no endpoint answered\n", "cluster status");

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.stderr()).contains("gave up after 0s", "UNAVAILABLE: no endpoint answered");
      assertThat(run.calls()).containsExactly(STATUS);
    }
  }

  // helpers

  private static Map<String, String> env(Container container) {
    return ContainerScript.containerEnv(container, "job-pod", null);
  }

  private static List<ClusterStatusJson.Node> nodes(int count) {
    return IntStream.range(0, count).mapToObj(i -> up("ringkv-" + i)).toList();
  }

  private static String status(int replication, List<ClusterStatusJson.Node> nodes) {
    return ClusterStatusJson.of(replication, nodes) + "\n";
  }

  /** What the script did: its exit code, output, and the kvctl calls in order. */
  private record Run(int exitCode, String stdout, String stderr, List<String> calls) {
    String output() {
      return stdout + stderr;
    }
  }

  private Run run(Map<String, Object> set, String step, String... statuses) throws Exception {
    return run(set, step, statuses, null);
  }

  private Run runFailing(Map<String, Object> set, String step, String status, String failing) throws Exception {
    return run(set, step, new String[] {status}, failing);
  }

  /**
   * Renders with {@code set}, runs the Job of {@code step} with a stub kvctl that records its
   * arguments, answers `cluster status` with the statuses in turn (the last one from then on),
   * and exits 1 for the command starting with {@code failing}.
   */
  private Run run(Map<String, Object> set, String step, String[] statuses, String failing) throws Exception {
    Container container = Manifests.container(Charts.render(set).layoutJob(step));
    for (int i = 0; i < statuses.length; i++) {
      Files.writeString(scratch.resolve("status." + i), statuses[i]);
    }
    Path calls = scratch.resolve("calls");
    Files.writeString(calls, "");
    String fail = failing == null ? "" : """
        case "$*" in
          '%s'*) [ "$1" = cluster ] && cat %s/status.$n >&2; exit 1 ;;
        esac
        """.formatted(failing, scratch);
    Path kvctl = ContainerScript.executable(scratch.resolve("kvctl-stub"), """
        #!/bin/sh
        printf '%%s\\n' "$*" >> %1$s
        n=$(cat %2$s/status.n 2>/dev/null || echo 0)
        %3$s
        if [ "$1 $2" = "cluster status" ]; then
          cat %2$s/status.$n
          if [ -f %2$s/status.$((n + 1)) ]; then echo $((n + 1)) > %2$s/status.n; fi
        fi
        exit 0
        """.formatted(calls, scratch, fail));
    ContainerScript.Run run = ContainerScript.of(container, "job-pod").withEnv(Map.of("POLL_SECONDS", "0"))
        .run(scratch, step, Map.of(KVCTL, kvctl));
    List<String> recorded = Files.readAllLines(calls);
    return new Run(run.exitCode(), run.stdout(), run.stderr(), recorded);
  }
}
