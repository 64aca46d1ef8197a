package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.cli.NodeRebalanceCommandTest.read;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.client.KvException;

/** {@code kvctl shard scale} against {@link FakeAdmin}, on a {@link FakePacer}. */
class ShardScaleCommandTest {
  private final Kvctl kvctl = new Kvctl();

  /** Shards 0 and 1 only (shard 2 removed), at epoch 11. */
  private static final ClusterMap TWO_SHARDS = ClusterFixtures.removing(0, 11);

  @Test
  void up_addsAShardAndWaitsForItsPartitions() {
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.map = read(ClusterFixtures.adding(0, 10));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "4");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("scaled to 4 shards: added shard 3\n");
    assertThat(run.errLines()).containsExactly("shard 3: 0/3 partitions moved", "shard 3: 3/3 partitions moved");
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap", "AddShard", "GetClusterMap");
  }

  @Test
  void down_removesTheHighestShardsFirst_waitingForEach() {
    kvctl.admin.map = read(TWO_SHARDS);
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    // shard 1's removal: the answer's map has forgotten it already
    kvctl.admin.removeAnswer = request -> request.getShardId() == 2
        ? RemoveShardResponse.newBuilder().setMap(ClusterFixtures.removing(3, 8)).setPartitionsToMove(3).build()
        : RemoveShardResponse.newBuilder().setMap(TWO_SHARDS.toBuilder().setEpoch(12).removeShards(1))
            .setPartitionsToMove(4).build();
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "1");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("scaled to 1 shard: removed shards 2,1\n");
    assertThat(kvctl.admin.removeRequests).extracting(r -> r.getShardId()).containsExactly(2, 1);
    assertThat(run.errLines())
        .containsExactly("shard 2: 0/3 partitions moved", "shard 2: 3/3 partitions moved", "shard 1: 4/4 partitions moved");
  }

  @Test
  void alreadyThere_printsSo_changesNothing() {
    Kvctl.Run run = kvctl.run("shard", "scale", "--to", "3");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("already 3 shards; nothing to do\n");
    assertThat(run.err()).isEmpty();
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap");
  }

  @Test
  void rerunAfterAnInterruptedRun_waitsForTheReshardInFlight_thenGoesOn() {
    // the interrupted run had added shard 3 (two moves left); scaling to 3 removes it again
    kvctl.admin.maps.add(read(ClusterFixtures.adding(2, 9)));
    kvctl.admin.maps.add(read(ClusterFixtures.adding(0, 10)));
    kvctl.admin.removeAnswer = request -> RemoveShardResponse.newBuilder()
        .setMap(ClusterFixtures.map().toBuilder().setEpoch(12)).setPartitionsToMove(3).build();
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "3");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("scaled to 3 shards: removed shard 3\n");
    assertThat(run.errLines())
        .containsExactly("reshard in flight: 0/2 partitions moved", "reshard in flight: 2/2 partitions moved",
            "shard 3: 3/3 partitions moved");
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap", "GetClusterMap", "RemoveShard");
  }

  @Test
  void rerunAfterAnInterruptedRemoval_waitsUntilTheShardIsForgotten_alreadyThere() {
    kvctl.admin.maps.add(read(ClusterFixtures.removing(2, 9)));
    kvctl.admin.map = read(TWO_SHARDS);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("already 2 shards; nothing to do\n");
    assertThat(kvctl.admin.rpcs()).containsExactly("GetClusterMap", "GetClusterMap");
  }

  @Test
  void json_oneObject_noProgress() {
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.map = read(TWO_SHARDS);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "2", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"shards\":2,\"from\":3,\"added\":[],\"removed\":[2],\"epoch\":11}\n");
  }

  @Test
  void waitTimeoutCoversTheWholeScale_exit1_theMovesGoOn() {
    kvctl.admin.maps.add(ClusterFixtures.clusterMap());
    kvctl.admin.map = read(ClusterFixtures.adding(1, 9));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "5", "--wait-timeout", "2s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: shard 3: 2/3 partitions moved when --wait-timeout 2s ran out; the moves go on"
            + " (see kvctl cluster status)");
    assertThat(kvctl.admin.addRequests).hasSize(1);
  }

  @Test
  void nodeRefusesAStep_itsReasonOnOneLine_exit1() {
    kvctl.admin.addAnswer = request -> {
      throw new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
          "AddShard failed: INVALID_ARGUMENT: a reshard is in progress (3 partition moves left); start the next"
              + " one when it finished (kvctl cluster status)", false, null);
    };
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "shard", "scale", "--to", "4");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: AddShard failed: INVALID_ARGUMENT: a reshard is in progress (3 partition moves"
            + " left); start the next one when it finished (kvctl cluster status) [code INVALID_ARGUMENT, reason"
            + " INVALID_FIELD]\n");
  }

  @Test
  void badCommandLines_usageError_nothingSent() {
    Kvctl.Run zero = kvctl.run("shard", "scale", "--to", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).isEqualTo("kvctl: error: --to must be at least 1, got 0 (see 'kvctl shard scale --help')\n");
    assertThat(kvctl.run("shard", "scale").err()).startsWith("kvctl: error: Missing required option: '--to=N'");
    assertThat(kvctl.run("shard", "scale", "--to", "x").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("shard", "scale", "--to", "2", "--no-wait").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
  }
}
