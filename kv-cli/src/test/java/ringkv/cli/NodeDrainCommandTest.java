package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvException;

/** {@code kvctl node drain} against {@link FakeAdmin}. */
class NodeDrainCommandTest {
  private final Kvctl kvctl = new Kvctl();

  @Test
  void drain_withoutTimeout_nodeGetsSixtySeconds_printsReport() {
    Kvctl.Run run = kvctl.run("node", "drain", "n2");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("node n2 drained in 1.2 s: 2 leaderships moved, 7 requests finished\n");
    assertThat(kvctl.admin.drainRequests)
        .containsExactly(DrainNodeRequest.newBuilder().setNodeId("n2").setTimeoutMillis(60_000).build());
    // the call waits for the node's report, a little longer than the drain may take
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isGreaterThan(Duration.ofSeconds(69))
        .isLessThanOrEqualTo(Duration.ofSeconds(70));
  }

  @Test
  void timeoutOption_boundsTheDrain_json() {
    Kvctl.Run run = kvctl.run("node", "drain", "n3", "--timeout", "5s", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("{\"node\":\"n3\",\"drained\":true,\"leaderships_moved\":2,\"leaderships_left\":[],"
            + "\"requests_finished\":7,\"requests_left\":0,\"elapsed_ms\":1234}\n");
    assertThat(kvctl.admin.drainRequests.get(0).getTimeoutMillis()).isEqualTo(5_000);
  }

  @Test
  void notDrainedInTime_saysWhatIsLeft_exit1() {
    kvctl.admin.drainAnswer = request -> DrainNodeResponse.newBuilder().setNodeId("n1").setDrained(false)
        .setLeadershipsMoved(1).addLeadershipsLeft("meta").addLeadershipsLeft("shard-2").setRequestsLeft(3)
        .setElapsedMillis(5_000).build();
    Kvctl.Run run = kvctl.run("--timeout", "5s", "node", "drain", "n1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: node n1 not drained within 5.0 s: still leads meta, shard-2, 3 requests in flight\n");
    Kvctl.Run json = kvctl.run("--timeout", "5s", "node", "drain", "n1", "-o", "json");
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out()).contains("\"drained\":false", "\"leaderships_left\":[\"meta\",\"shard-2\"]");
  }

  @Test
  void badCommandLines_usageErrorOneLine_nothingSent() {
    Kvctl.Run missing = kvctl.run("node", "drain");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).hasSize(1);
    assertThat(kvctl.run("node", "drain", " ").exitCode()).isEqualTo(2);
    Kvctl.Run tooLong = kvctl.run("node", "drain", "n1", "--timeout", "11m");
    assertThat(tooLong.exitCode()).isEqualTo(2);
    assertThat(tooLong.err()).startsWith("kvctl: error: --timeout for node drain must be at most 10m");
    Kvctl.Run bare = kvctl.run("node");
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).isEqualTo("kvctl: error: missing command: add, remove, rebalance or drain (see 'kvctl node --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void nodeRefuses_unknownNode_exit1_otherEndpointsNotAsked() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
        "DrainNode failed: INVALID_ARGUMENT: node_id: no node n9 in the cluster map; its nodes are [n1, n2, n3]",
        false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "node", "drain", "n9");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("kvctl: error: DrainNode failed: INVALID_ARGUMENT: node_id: no node n9");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void firstEndpointUnreachable_nextOneForwards() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "node", "drain", "n1");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1", "b:2");
  }
}
