package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.RebalanceReplicasResponse;

/** {@code kvctl node rebalance} against {@link FakeAdmin}, on a {@link FakePacer}. */
class NodeRebalanceCommandTest {
  private final Kvctl kvctl = new Kvctl();

  /** n4 joined at epoch 8; round 1 moves shard 0's replica on n1 to n4. */
  static final ClusterMap MOVING = ClusterFixtures.moving(ClusterFixtures.joined(8), 0, "n1", "n4");

  static final ClusterMap MOVED = ClusterFixtures.moved(ClusterFixtures.joined(9), 0, "n1", "n4");

  static GetClusterMapResponse read(ClusterMap map) {
    return GetClusterMapResponse.newBuilder().setMap(map).build();
  }

  static RebalanceReplicasResponse planned(ClusterMap map, int moves) {
    return RebalanceReplicasResponse.newBuilder().setMap(map).setReplicaMoves(moves).build();
  }

  @Test
  void roundsUntilOnePlansNone_progressPerRound_printsReplicasAndLeadersPerNode() {
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    kvctl.admin.maps.add(read(MOVING));
    kvctl.admin.map = read(MOVED); // round 2 answers with it, planning nothing
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "rebalance");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("""
            replicas balanced after 2 rounds: 1 replica move
            NODE  REPLICAS  LEADS
            n1    1         0
            n2    2         1
            n3    2         1
            n4    1         1
            """);
    assertThat(run.errLines()).containsExactly("rebalance round 1: 0/1 replicas moved", "rebalance round 1: 1/1 replicas moved");
    assertThat(kvctl.admin.rpcs())
        .containsExactly("RebalanceReplicas", "GetClusterMap", "GetClusterMap", "RebalanceReplicas");
  }

  @Test
  void balancedAlready_oneRound_noProgress() {
    Kvctl.Run run = kvctl.run("node", "rebalance");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("replicas balanced after 1 round: 0 replica moves\nNODE  REPLICAS  LEADS\n");
    assertThat(kvctl.admin.rpcs()).containsExactly("RebalanceReplicas");
  }

  @Test
  void movesInFlightNotPlannedByTheRound_waitedFor_thenAskedAgain() {
    // a node removal moves a replica: the round plans none, but the layout is not final yet
    kvctl.admin.rebalanceAnswers.add(planned(ClusterFixtures.leaving(1, 9), 0));
    kvctl.admin.map = read(ClusterFixtures.removed(11));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "rebalance");
    assertThat(run.exitCode()).isZero();
    assertThat(run.errLines()).containsExactly("rebalance round 1: 0/1 replicas moved", "rebalance round 1: 1/1 replicas moved");
    assertThat(run.out()).startsWith("replicas balanced after 2 rounds: 0 replica moves\n");
  }

  @Test
  void noWait_oneRound_printsTheLayoutItsMovesLeadTo() {
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    Kvctl.Run run = kvctl.run("node", "rebalance", "--no-wait");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .startsWith("1 replica move started; once they finished (see kvctl cluster status):\nNODE  REPLICAS  LEADS\n")
        .endsWith("n4    1         1\n");
    assertThat(kvctl.admin.rpcs()).containsExactly("RebalanceReplicas");
  }

  @Test
  void json_oneObject_noProgress() {
    kvctl.admin.rebalanceAnswers.add(planned(MOVING, 1));
    kvctl.admin.map = read(MOVED);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "rebalance", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo("{\"finished\":true,\"rounds\":2,\"replica_moves\":1,\"nodes\":["
            + "{\"node\":\"n1\",\"replicas\":1,\"leads\":0},{\"node\":\"n2\",\"replicas\":2,\"leads\":1},"
            + "{\"node\":\"n3\",\"replicas\":2,\"leads\":1},{\"node\":\"n4\",\"replicas\":1,\"leads\":1}],"
            + "\"epoch\":9}\n");
  }

  @Test
  void waitTimeoutCoversAllRounds_exit1_theMovesGoOn() {
    kvctl.admin.rebalanceAnswers.addAll(List.of(planned(MOVING, 1), planned(MOVING, 1)));
    kvctl.admin.maps.addAll(List.of(read(MOVING), read(MOVED)));
    kvctl.admin.map = read(MOVING.toBuilder().setEpoch(10).build());
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "node", "rebalance", "--wait-timeout", "3s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).last()
        .isEqualTo("kvctl: error: rebalance round 2: 0/1 replicas moved when --wait-timeout 3s ran out; the"
            + " moves go on (see kvctl cluster status)");
    assertThat(kvctl.pacer.deadlines).hasSize(3);
  }

  @Test
  void badCommandLines_usageError_nothingSent() {
    assertThat(kvctl.run("node", "rebalance", "n1").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("node", "rebalance", "--wait-timeout", "0s").exitCode()).isEqualTo(2);
    assertThat(kvctl.run("node", "rebalance", "-o", "yaml").exitCode()).isEqualTo(2);
    assertThat(kvctl.admin.calls).isEmpty();
  }
}
