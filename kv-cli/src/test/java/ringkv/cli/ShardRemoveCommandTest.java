package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.client.KvException;

/** {@code kvctl shard remove} against {@link FakeAdmin}, on a {@link FakePacer}. */
class ShardRemoveCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private static GetClusterMapResponse removing(int movesLeft, long epoch) {
    return GetClusterMapResponse.newBuilder()
        .setMap(ClusterFixtures.removing(movesLeft, epoch))
        .build();
  }

  /** The moves are done, but the map still has the shard: not gone yet. */
  private static GetClusterMapResponse movedButNotForgotten(long epoch) {
    GetClusterMapResponse gone = removing(0, epoch);
    return gone.toBuilder()
        .setMap(gone.getMap().toBuilder().addShards(ClusterFixtures.shard(2, "n3", "n1").toBuilder().setRemoving(true)))
        .build();
  }

  @Test
  void waits_byDefault_untilTheShardIsGone_printsWhereItsPartitionsWent() {
    kvctl.admin.maps.addAll(List.of(removing(2, 9), movedButNotForgotten(10)));
    kvctl.admin.map = removing(0, 11);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "remove", "2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 2 removed: 3 partitions moved to shards 0,1\n");
    assertThat(run.errLines())
        .containsExactly(
            "shard 2: 0/3 partitions moved", "shard 2: 1/3 partitions moved", "shard 2: 3/3 partitions moved");
    assertThat(kvctl.admin.removeRequests).containsExactly(RemoveShardRequest.newBuilder().setShardId(2).build());
    assertThat(kvctl.admin.calls).extracting(FakeAdmin.Call::rpc)
        .containsExactly("RemoveShard", "GetClusterMap", "GetClusterMap", "GetClusterMap");
  }

  @Test
  void noWait_printsThePlan() {
    Kvctl.Run run = kvctl.run("shard", "remove", "2", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("shard 2 removing: 3 of 3 partitions still to move to shards 0,1 (see kvctl cluster status)\n");
    assertThat(kvctl.admin.calls).extracting(FakeAdmin.Call::rpc).containsExactly("RemoveShard");
  }

  @Test
  void json_oneObject_noProgress() {
    kvctl.admin.map = removing(0, 11);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "remove", "2", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"shard\":2,\"finished\":true,\"partitions_to_move\":3,\"moves_left\":0,"
            + "\"to_shards\":[0,1],\"epoch\":11}\n");
    assertThat(kvctl.run("shard", "remove", "2", "--no-wait", "-o", "json").out())
        .isEqualTo("{\"shard\":2,\"finished\":false,\"partitions_to_move\":3,\"moves_left\":3,"
            + "\"to_shards\":[0,1],\"epoch\":8}\n");
  }

  @Test
  void waitTimeoutRunsOut_movesDoneButShardNotForgotten_exit1() {
    kvctl.admin.map = movedButNotForgotten(10);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "remove", "2", "--wait-timeout", "3s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: shard 2: 3/3 partitions moved when --wait-timeout 3s ran out; the moves go on"
            + " (see kvctl cluster status)");
  }

  @Test
  void nodeRefusesTheLastShard_itsReasonOnOneLine_exit1() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
        "RemoveShard failed: INVALID_ARGUMENT: cannot remove shard 0: it is the last shard, its partitions would"
            + " have no owner", false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "shard", "remove", "0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: RemoveShard failed: INVALID_ARGUMENT: cannot remove shard 0: it is the last"
            + " shard, its partitions would have no owner [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void badCommandLines_usageErrorOneLine_nothingSent() {
    assertThat(kvctl.run("shard", "remove", "-1").err())
        .isEqualTo("kvctl: error: SHARD must be >= 0, got -1 (see 'kvctl shard remove --help')\n");
    assertThat(kvctl.run("shard", "remove").err())
        .startsWith("kvctl: error: Missing required parameter: 'SHARD'");
    assertThat(kvctl.run("shard", "remove", "x").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard", "remove", "1", "--wait-timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
  }
}
