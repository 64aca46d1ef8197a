package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.client.KvException;

/** {@code kvctl node remove} against {@link FakeAdmin}, on a {@link FakePacer}. */
class NodeRemoveCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private static GetClusterMapResponse read(ClusterMap map) {
    return GetClusterMapResponse.newBuilder().setMap(map).build();
  }

  @Test
  void waits_byDefault_untilTheMapForgetsTheNode_printsWhereItsReplicasWent() {
    // both replicas moved at epoch 10, but n3 is in the map (a meta member) until epoch 11
    kvctl.admin.maps.addAll(List.of(read(ClusterFixtures.leaving(1, 9)), read(ClusterFixtures.leaving(0, 10))));
    kvctl.admin.map = read(ClusterFixtures.removed(11));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "remove", "n3");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("node n3 removed: 2 replicas moved to n1, n2; it can be stopped\n");
    assertThat(run.errLines())
        .containsExactly("node n3: 0/2 replicas moved", "node n3: 1/2 replicas moved", "node n3: 2/2 replicas moved");
    assertThat(kvctl.admin.removeNodeRequests).containsExactly(RemoveNodeRequest.newBuilder().setNodeId("n3").build());
    assertThat(kvctl.admin.rpcs())
        .containsExactly("RemoveNode", "GetClusterMap", "GetClusterMap", "GetClusterMap");
  }

  @Test
  void noWait_printsThePlan_readsNoMap() {
    Kvctl.Run run = kvctl.run("node", "remove", "n3", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("node n3 removing: 2 of 2 replicas still to move to n1, n2 (see kvctl cluster status)\n");
    assertThat(kvctl.admin.rpcs()).containsExactly("RemoveNode");
  }

  @Test
  void json_oneObject_noProgress() {
    kvctl.admin.map = read(ClusterFixtures.removed(11));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "remove", "n3", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"node\":\"n3\",\"finished\":true,\"replicas_to_move\":2,\"replicas_left\":0,"
            + "\"to_nodes\":[\"n1\",\"n2\"],\"epoch\":11}\n");
    assertThat(kvctl.run("node", "remove", "n3", "--no-wait", "-o", "json").out())
        .isEqualTo("{\"node\":\"n3\",\"finished\":false,\"replicas_to_move\":2,\"replicas_left\":2,"
            + "\"to_nodes\":[\"n1\",\"n2\"],\"epoch\":8}\n");
  }

  @Test
  void waitTimeoutRunsOut_replicasMovedButNodeNotForgotten_exit1_theMovesGoOn() {
    kvctl.admin.map = read(ClusterFixtures.leaving(0, 10));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "remove", "n3", "--wait-timeout", "3s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: node n3: 2/2 replicas moved when --wait-timeout 3s ran out; the moves go on"
            + " (see kvctl cluster status)");
    assertThat(kvctl.pacer.deadlines).hasSize(3);
  }

  @Test
  void interrupted_oneLineSaysTheMovesGoOn() {
    kvctl.admin.map = read(ClusterFixtures.leaving(1, 9));
    kvctl.pacer.interruptAtSleep = 1;
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "remove", "n3");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: node n3: interrupted while waiting; the moves go on (see kvctl cluster status)");
  }

  @Test
  void nodeRefuses_belowTheReplication_itsReasonOnOneLine_exit1() {
    refuse("RemoveNode failed: INVALID_ARGUMENT: cannot remove node n2: 2 nodes would remain for 3 replicas per"
        + " shard, so a shard would lose a replica and with it its tolerance of a failure; add a node first");
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "node", "remove", "n2");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: RemoveNode failed: INVALID_ARGUMENT: cannot remove node n2: 2 nodes would"
            + " remain for 3 replicas per shard, so a shard would lose a replica and with it its tolerance of a"
            + " failure; add a node first [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void nodeRefuses_unknownNode_exit1() {
    refuse("RemoveNode failed: INVALID_ARGUMENT: node 'n9' is not a node of the cluster; nodes are [n1, n2, n3]");
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "remove", "n9");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString().contains("node 'n9' is not a node of the cluster");
  }

  @Test
  void badCommandLines_usageErrorOneLine_nothingSent() {
    assertThat(kvctl.run("node", "remove").err()).startsWith("kvctl: error: Missing required parameter: 'NODE'");
    Kvctl.Run blank = kvctl.run("node", "remove", " ");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).isEqualTo("kvctl: error: NODE must name a node (see 'kvctl node remove --help')\n");
    assertThat(kvctl.run("node", "remove", "n3", "--wait-timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("node", "remove", "n3", "n4").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
  }

  private void refuse(String message) {
    kvctl.admin.failures.put("a:1",
        new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, message, false, null));
  }
}
