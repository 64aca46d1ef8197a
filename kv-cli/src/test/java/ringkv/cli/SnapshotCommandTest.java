package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ringkv.api.v1.ReplicaSnapshot;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;

/** {@code kvctl snapshot} against {@link FakeAdmin}. */
class SnapshotCommandTest {
  private final Kvctl kvctl = new Kvctl();

  @Test
  void shard_printsOneLinePerReplica() {
    Kvctl.Run run = kvctl.run("snapshot", "--shard", "2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 2\tn1\tindex 100\nshard 2\tn2\tindex 100\n");
    assertThat(kvctl.admin.snapshotRequests).containsExactly(TakeSnapshotRequest.newBuilder().setShardId(2).build());
  }

  @Test
  void all_coversEveryShardOfTheMapAndTheMeta() {
    Kvctl.Run run = kvctl.run("snapshot", "--all");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.admin.snapshotRequests).extracting(r -> r.hasMeta() ? "meta" : "shard " + r.getShardId())
        .containsExactly("shard 0", "shard 1", "shard 2", "meta");
  }

  @Test
  void aReplicaThatFailed_isShown_andTheExitCodeIs1() {
    kvctl.admin.snapshotAnswer = request -> TakeSnapshotResponse.newBuilder()
        .addReplicas(ReplicaSnapshot.newBuilder().setNodeId("n1").setIndex(7))
        .addReplicas(ReplicaSnapshot.newBuilder().setNodeId("n3").setIndex(-1).setError("connection refused"))
        .build();
    Kvctl.Run run = kvctl.run("snapshot", "--meta");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("meta\tn3\tFAILED: connection refused");
    assertThat(run.err()).contains("1 replica(s) could not take a snapshot");
  }

  @Test
  void noTarget_orTwoTargets_isAUsageError() {
    assertThat(kvctl.run("snapshot").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("snapshot", "--meta", "--all").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.snapshotRequests).isEmpty();
  }
}
