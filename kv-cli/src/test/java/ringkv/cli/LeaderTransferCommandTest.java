package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.client.KvException;

/** {@code kvctl leader transfer} against {@link FakeAdmin}. */
class LeaderTransferCommandTest {
  private final Kvctl kvctl = new Kvctl();

  @Test
  void shard_to_printsPreviousAndNewLeader() {
    Kvctl.Run run = kvctl.run("leader", "transfer", "--shard", "2", "--to", "n3");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("shard 2: leader n1 -> n3\n");
    assertThat(kvctl.admin.transferRequests)
        .containsExactly(
            TransferLeadershipRequest.newBuilder().setShardId(2).setToNodeId("n3").build());
  }

  @Test
  void meta_withoutTo_json_anyOtherReplica() {
    Kvctl.Run run = kvctl.run("leader", "transfer", "--meta", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("{\"group\":\"meta\",\"previous_leader\":\"n1\",\"leader\":\"n2\"}\n");
    assertThat(kvctl.admin.transferRequests)
        .containsExactly(TransferLeadershipRequest.newBuilder().setMeta(true).build());
  }

  @Test
  void shard_json_groupNamedAsInClusterStatus() {
    Kvctl.Run run = kvctl.run("leader", "transfer", "--shard", "0", "--to", "n1", "-o", "json");
    assertThat(run.out()).isEqualTo("{\"group\":\"shard-0\",\"previous_leader\":\"n1\",\"leader\":\"n1\"}\n");
  }

  @Test
  void badCommandLines_usageErrorOneLine_nothingSent() {
    assertThat(kvctl.run("leader", "transfer").err())
        .isEqualTo("kvctl: error: Error: Missing required argument (specify one of these): (--shard=ID | --meta)"
            + " (see 'kvctl leader transfer --help')\n");
    Kvctl.Run both = kvctl.run("leader", "transfer", "--shard", "1", "--meta");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo("kvctl: error: Error: --shard=ID, --meta are mutually exclusive (specify only one)"
            + " (see 'kvctl leader transfer --help')\n");
    Kvctl.Run negative = kvctl.run("leader", "transfer", "--shard", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).startsWith("kvctl: error: --shard must be >= 0, got -1 (see");
    assertThat(kvctl.run("leader", "transfer", "--meta", "--to", " ").exitCode()).isEqualTo(2);
    Kvctl.Run bare = kvctl.run("leader");
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).isEqualTo("kvctl: error: missing command: transfer (see 'kvctl leader --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void nodeRefuses_itsMessageCodeAndReason_exit1_otherEndpointsNotAsked() {
    kvctl.admin.failures.put("a:1", new KvException(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD,
        "TransferLeadership failed: INVALID_ARGUMENT: node n9 holds no replica of shard-2; its replicas are on"
            + " [n1, n3]", false, null));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "leader", "transfer", "--shard", "2", "--to", "n9");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: TransferLeadership failed: INVALID_ARGUMENT: node n9 holds no replica of"
            + " shard-2; its replicas are on [n1, n3] [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void nodeUnreachable_nextAsked_eachAttemptMayWaitForTheTransfer() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "leader", "transfer", "--meta");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1", "b:2");
    // --timeout 10s (the default) is shorter than the node's 20 s: kvctl waits for its answer
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isGreaterThan(Duration.ofSeconds(24))
        .isLessThanOrEqualTo(LeaderTransferCommand.SERVER_TIME);
  }

  @Test
  void longerTimeout_isKept() {
    kvctl.run("--timeout", "2m", "leader", "transfer", "--meta");
    assertThat(kvctl.admin.calls.get(0).timeout()).isGreaterThan(Duration.ofSeconds(119));
  }
}
