package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.client.KvException;

/** {@code kvctl shard move-replica} against {@link FakeAdmin}. */
class ShardMoveReplicaCommandTest {
  private final Kvctl kvctl = new Kvctl();

  @Test
  void waits_byDefault_printsReplicasAfterTheMove() {
    Kvctl.Run run = kvctl.run("shard", "move-replica", "0", "--from", "n1", "--to", "n4");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 0: replicas n4, n2 (moved n1 -> n4)\n");
    assertThat(kvctl.admin.moveRequests)
        .containsExactly(
            MoveReplicaRequest.newBuilder().setShardId(0).setFromNodeId("n1").setToNodeId("n4").setWait(true)
                .build());
    // the node waits up to 60 s: so does kvctl, whatever the 10 s default --timeout says
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isGreaterThan(Duration.ofSeconds(74))
        .isLessThanOrEqualTo(ShardMoveReplicaCommand.SERVER_TIME_WAIT);
  }

  @Test
  void noWait_printsTheMoveAsStarted() {
    Kvctl.Run run = kvctl.run("shard", "move-replica", "1", "--from", "n3", "--to", "n1", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 1: moving n3 -> n1 (started at epoch 8)\n");
    assertThat(kvctl.admin.moveRequests.get(0).getWait()).isFalse();
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isLessThanOrEqualTo(ShardMoveReplicaCommand.SERVER_TIME_NO_WAIT);
  }

  @Test
  void json_finishedAndInFlight() {
    assertThat(kvctl.run("shard", "move-replica", "0", "--from", "n1", "--to", "n4", "-o", "json").out())
        .isEqualTo("{\"shard\":0,\"from\":\"n1\",\"to\":\"n4\",\"finished\":true,\"replicas\":[\"n4\",\"n2\"],"
            + "\"move\":null,\"epoch\":9}\n");
    assertThat(kvctl.run("shard", "move-replica", "0", "--from", "n1", "--to", "n4", "--no-wait", "-o", "json").out())
        .isEqualTo("{\"shard\":0,\"from\":\"n1\",\"to\":\"n4\",\"finished\":false,\"replicas\":[\"n1\",\"n2\"],"
            + "\"move\":{\"from\":\"n1\",\"to\":\"n4\",\"started_epoch\":8},\"epoch\":8}\n");
  }

  @Test
  void badCommandLines_usageErrorOneLine_nothingSent() {
    Kvctl.Run noFrom = kvctl.run("shard", "move-replica", "0", "--to", "n4");
    assertThat(noFrom.exitCode()).isEqualTo(2);
    assertThat(noFrom.err())
        .isEqualTo("kvctl: error: Missing required option: '--from=NODE' (see 'kvctl shard move-replica --help')\n");
    assertThat(kvctl.run("shard", "move-replica", "--from", "n1", "--to", "n4").err())
        .startsWith("kvctl: error: Missing required parameter: 'SHARD'");
    assertThat(kvctl.run("shard", "move-replica", "x", "--from", "n1", "--to", "n4").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard", "move-replica", "-1", "--from", "n1", "--to", "n4").err())
        .startsWith("kvctl: error: SHARD must be >= 0, got -1 (see");
    Kvctl.Run same = kvctl.run("shard", "move-replica", "0", "--from", "n1", "--to", "n1");
    assertThat(same.exitCode()).isEqualTo(2);
    assertThat(same.err())
        .isEqualTo("kvctl: error: --from and --to name the same node, n1 (see 'kvctl shard move-replica --help')\n");
    assertThat(kvctl.run("shard", "move-replica", "0", "--from", "", "--to", "n4").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard").err())
        .isEqualTo("kvctl: error: missing command: add, remove, scale or move-replica (see 'kvctl shard --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void nodeRefuses_itsReasonShownAsRequestErrors_exit1() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
        "MoveReplica failed: INVALID_ARGUMENT: node 'n4' already holds a replica of shard 0", false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "shard", "move-replica", "0", "--from", "n1", "--to", "n4");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: MoveReplica failed: INVALID_ARGUMENT: node 'n4' already holds a replica of shard 0"
            + " [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void waitRunsOut_timeoutReported_exit1() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.DEADLINE_EXCEEDED, ErrorReason.TIMEOUT,
        "MoveReplica failed: DEADLINE_EXCEEDED: the replica move of shard 0 from n1 to n4 did not finish within"
            + " 60 s; it goes on (see kvctl cluster status)", false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "move-replica", "0", "--from", "n1", "--to", "n4");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).endsWith("it goes on (see kvctl cluster status) [code DEADLINE_EXCEEDED, reason TIMEOUT]\n");
  }
}
