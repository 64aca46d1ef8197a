package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.client.KvException;

/** {@code kvctl shard add} against {@link FakeAdmin}, on a {@link FakePacer}. */
class ShardAddCommandTest {
  private static final long SECOND = 1_000_000_000L;

  private final Kvctl kvctl = new Kvctl();

  private static GetClusterMapResponse adding(int movesLeft, long epoch) {
    return GetClusterMapResponse.newBuilder()
        .setMap(ClusterFixtures.adding(movesLeft, epoch))
        .build();
  }

  @Test
  void waits_byDefault_progressOnStderrUntilNoMovesLeft_printsTheNewShard() {
    kvctl.admin.maps.addAll(List.of(adding(3, 8), adding(1, 9), adding(1, 9)));
    kvctl.admin.map = adding(0, 10);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add", "--replicas-on", "n1,n3");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 3 added: replicas n1, n3; owns 3 partitions (3 moved in)\n");
    assertThat(run.errLines())
        .containsExactly(
            "shard 3: 0/3 partitions moved", "shard 3: 2/3 partitions moved", "shard 3: 3/3 partitions moved");
    assertThat(kvctl.admin.addRequests)
        .containsExactly(AddShardRequest.newBuilder().addReplicaNodeIds("n1").addReplicaNodeIds("n3").build());
    assertThat(kvctl.admin.calls).extracting(FakeAdmin.Call::rpc)
        .containsExactly("AddShard", "GetClusterMap", "GetClusterMap", "GetClusterMap", "GetClusterMap");
    // one read a second
    long start = kvctl.pacer.deadlines.get(0) - SECOND;
    assertThat(kvctl.pacer.deadlines)
        .containsExactly(start + SECOND, start + 2 * SECOND, start + 3 * SECOND, start + 4 * SECOND);
  }

  @Test
  void waits_mapOlderThanThePlan_ignored() {
    // a node that cannot reach the meta group answers from its own copy, from before the plan
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.map = adding(0, 10);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add");
    assertThat(run.exitCode()).isZero();
    assertThat(run.errLines()).containsExactly("shard 3: 0/3 partitions moved", "shard 3: 3/3 partitions moved");
    assertThat(kvctl.admin.addRequests).containsExactly(AddShardRequest.getDefaultInstance());
  }

  @Test
  void waits_mapReadsFail_keepsWaiting() {
    kvctl.admin.failMapReads = 2;
    kvctl.admin.map = adding(0, 10);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("shard 3 added:");
    assertThat(kvctl.admin.calls).hasSize(4);
  }

  @Test
  void noWait_printsThePlan_readsNoMap() {
    Kvctl.Run run = kvctl.run("shard", "add", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("shard 3 added: replicas n1, n3; 3 of 3 partitions still to move in (see kvctl cluster status)\n");
    assertThat(kvctl.admin.calls).extracting(FakeAdmin.Call::rpc).containsExactly("AddShard");
    // the node answers once the plan is in the map, within 10 s for the meta group
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isGreaterThan(Duration.ofSeconds(14))
        .isLessThanOrEqualTo(ShardMoveReplicaCommand.SERVER_TIME_NO_WAIT);
  }

  @Test
  void json_oneObject_noProgress() {
    kvctl.admin.maps.add(adding(1, 9));
    kvctl.admin.map = adding(0, 10);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"shard\":3,\"replicas\":[\"n1\",\"n3\"],\"finished\":true,\"partitions\":3,"
            + "\"partitions_to_move\":3,\"moves_left\":0,\"epoch\":10}\n");
    assertThat(kvctl.run("shard", "add", "--no-wait", "-o", "json").out())
        .isEqualTo("{\"shard\":3,\"replicas\":[\"n1\",\"n3\"],\"finished\":false,\"partitions\":0,"
            + "\"partitions_to_move\":3,\"moves_left\":3,\"epoch\":8}\n");
  }

  @Test
  void waitTimeoutRunsOut_oneLineSaysTheMovesGoOn_exit1() {
    kvctl.admin.map = adding(2, 9);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add", "--wait-timeout", "5s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            "shard 3: 0/3 partitions moved",
            "shard 3: 1/3 partitions moved",
            "kvctl: error: shard 3: 1/3 partitions moved when --wait-timeout 5s ran out; the moves go on"
                + " (see kvctl cluster status)");
    assertThat(kvctl.pacer.deadlines).hasSize(5);
  }

  @Test
  void waitTimeoutRunsOut_lastReadFailed_saysWhy() {
    kvctl.admin.failMapReads = 10;
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add", "--wait-timeout", "2s", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: shard 3: 0/3 partitions moved when --wait-timeout 2s ran out; the moves go on"
            + " (see kvctl cluster status); the last map read failed: no node answered at a:1:"
            + " UNAVAILABLE (meta group electing)\n");
  }

  @Test
  void interrupted_oneLineSaysTheMovesGoOn_exit1() {
    kvctl.admin.map = adding(2, 9);
    kvctl.pacer.interruptAtSleep = 2;
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "add");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: shard 3: interrupted while waiting; the moves go on (see kvctl cluster status)");
  }

  @Test
  void help_namesTheWaitOptions() {
    Kvctl.Run run = kvctl.run("shard", "add", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--replicas-on=NODES", "--no-wait", "--wait-timeout=DURATION", "Default: 10m");
    assertThat(kvctl.run("shard", "--help").out()).contains("add", "remove", "move-replica");
  }

  @Test
  void nodeRefuses_itsReasonOnOneLine_exit1_noWait() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
        "AddShard failed: INVALID_ARGUMENT: node 'n9' is not a node of the cluster; nodes are [n1, n2, n3]",
        false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "shard", "add", "--replicas-on", "n1,n9");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: AddShard failed: INVALID_ARGUMENT: node 'n9' is not a node of the cluster;"
            + " nodes are [n1, n2, n3] [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void badReplicasOn_usageErrorOneLine_nothingSent() {
    Kvctl.Run empty = kvctl.run("shard", "add", "--replicas-on", "n1,,n2");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err())
        .isEqualTo("kvctl: error: --replicas-on has an empty node id: 'n1,,n2' (see 'kvctl shard add --help')\n");
    assertThat(kvctl.run("shard", "add", "--replicas-on", "").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard", "add", "--replicas-on", "n1,n2,").exitCode()).isEqualTo(2);
    Kvctl.Run twice = kvctl.run("shard", "add", "--replicas-on", "n1,n2,n1");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err())
        .isEqualTo("kvctl: error: --replicas-on names node n1 twice (see 'kvctl shard add --help')\n");
    assertThat(kvctl.run("shard", "add", "--wait-timeout", "0s").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard", "add", "extra").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
  }
}
