package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.cli.NodeRebalanceCommandTest.MOVED;
import static ringkv.cli.NodeRebalanceCommandTest.MOVING;
import static ringkv.cli.NodeRebalanceCommandTest.planned;
import static ringkv.cli.NodeRebalanceCommandTest.read;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;

/** {@code kvctl node add} against {@link FakeAdmin}, on a {@link FakePacer}. */
class NodeAddCommandTest {
  private final Kvctl kvctl = new Kvctl();

  @Test
  void waitsForTheJoin_withAHint_thenRebalances_printsTheNodesShare() {
    kvctl.admin.maps.addAll(
        List.of(ClusterFixtures.clusterMap(), ClusterFixtures.clusterMap(), read(ClusterFixtures.joined(8))));
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    kvctl.admin.map = read(MOVED);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "node", "add", "n4");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("node n4 added: holds 1 replica, leads 1 shard\n");
    assertThat(run.errLines())
        .containsExactly(
            "waiting for node n4 to join (start it with kv-server --node-id n4 --join a:1,b:2)",
            "node n4 joined",
            "rebalance round 1: 0/1 replicas moved",
            "rebalance round 1: 1/1 replicas moved");
    assertThat(kvctl.admin.rpcs())
        .containsExactly("GetClusterMap", "GetClusterMap", "GetClusterMap", "RebalanceReplicas", "GetClusterMap",
            "RebalanceReplicas");
  }

  @Test
  void joinedAlready_noHint() {
    kvctl.admin.map = read(ClusterFixtures.joined(8));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n4");
    assertThat(run.exitCode()).isZero();
    assertThat(run.errLines()).containsExactly("node n4 joined");
    assertThat(run.out()).isEqualTo("node n4 added: holds 0 replicas, leads 0 shards\n");
  }

  @Test
  void noWait_stillWaitsForTheJoin_thenOneRound() {
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.map = read(ClusterFixtures.joined(8));
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n4", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("node n4 joined: holds 1 replica, leads 1 shard once 1 replica move finished (see kvctl"
            + " cluster status)\n");
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap", "GetClusterMap", "RebalanceReplicas");
  }

  @Test
  void json_oneObject_noHintNoProgress() {
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    kvctl.admin.map = read(MOVED);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n4", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"node\":\"n4\",\"finished\":true,\"replicas\":1,\"leads\":1,\"rounds\":2,"
            + "\"replica_moves\":1,\"epoch\":9}\n");
  }

  @Test
  void neverJoins_waitTimeout_exit1_saysHowToStartIt_nothingChanged() {
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n4", "--wait-timeout", "3s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: node n4 has not joined when --wait-timeout 3s ran out; start it with kv-server"
            + " --node-id n4 --join a:1");
    assertThat(kvctl.admin.rpcs()).doesNotContain("RebalanceReplicas");
  }

  @Test
  void leavingNode_refused_exit1() {
    ClusterMap leaving = ClusterFixtures.leaving(2, 8);
    kvctl.admin.map = read(leaving);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n3");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: node n3 is being removed (kvctl node remove); it gets no replicas");
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap");
  }

  @Test
  void noEndpointAnswers_exit1() {
    kvctl.admin.fail("a:1", io.grpc.Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "add", "n4");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvctl: error: no node answered at a:1: UNAVAILABLE (io exception)\n");
  }

  @Test
  void badCommandLines_usageError_nothingSent() {
    assertThat(kvctl.run("node", "add").err()).startsWith("kvctl: error: Missing required parameter: 'NODE'");
    assertThat(kvctl.run("node", "add", "").err())
        .isEqualTo("kvctl: error: NODE must name a node (see 'kvctl node add --help')\n");
    assertThat(kvctl.run("node", "add", "n4", "--wait-timeout", "-1s").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
    assertThat(kvctl.run("node", "--help").out()).contains("add", "remove", "rebalance", "drain");
  }
}
