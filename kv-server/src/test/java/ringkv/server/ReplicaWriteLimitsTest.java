package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.server.DataMemoryGuardTest.delete;
import static ringkv.server.DataMemoryGuardTest.put;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.Command;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.WriteLimitReached;
import ringkv.raft.shard.WriteRefusal;
import ringkv.router.NodeId;
import ringkv.server.groups.HostedGroups;
import ringkv.server.grpc.NodeStatusCollector;
import ringkv.server.routing.ClusterMapView;

/** What a leader refuses from its replicas' reports, and how long a report stands; the polling is in ReplicaWriteLimitsIT. */
class ReplicaWriteLimitsTest {
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final WriteRefusal MEMORY_FULL = new WriteRefusal(ErrorReason.MEMORY_FULL, "memory full: this node holds 1.0 MiB");
  private static final WriteRefusal DISK_FULL = new WriteRefusal(ErrorReason.DISK_FULL, "disk full: the data dir has 1 MiB free");

  @TempDir
  Path dataDir;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private ReplicaWriteLimits limits;

  @BeforeEach
  void setUp() throws Exception {
    HostedGroups groups = new HostedGroups("c", NodeId.of("n1"), ClusterMapView.load(dataDir));
    limits = new ReplicaWriteLimits(groups, new NodeStatusCollector(), now::get);
  }

  @Test
  void aReplicaAtItsMemoryLimit_refusesPutsNamingIt_admitsDeletes() {
    limits.record(N3, List.of(MEMORY_FULL));

    WriteRefusal refusal = limits.refusal(Set.of(N2, N3), entry(put()));
    assertThat(refusal).isNotNull();
    assertThat(refusal.reason()).isEqualTo(ErrorReason.MEMORY_FULL);
    assertThat(refusal.message()).isEqualTo("node n3, a replica of this shard, refuses it: " + MEMORY_FULL.message());
    assertThat(limits.refusal(Set.of(N2, N3), entry(delete()))).isNull();
    // a shard that n3 does not replicate is not concerned
    assertThat(limits.refusal(Set.of(N2), entry(put()))).isNull();
  }

  @Test
  void aReplicaWithAFullDisk_refusesEveryWrite() {
    limits.record(N3, List.of(DISK_FULL));

    assertThat(limits.refusal(Set.of(N3), entry(delete()))).extracting(WriteRefusal::reason).isEqualTo(ErrorReason.DISK_FULL);
  }

  @Test
  void aReplicaBackWithinItsLimits_admitsAgain() {
    limits.record(N3, List.of(MEMORY_FULL));
    limits.record(N3, List.of());

    assertThat(limits.refusal(Set.of(N3), entry(put()))).isNull();
  }

  @Test
  void aReplicaThatStopsAnswering_keepsItsReportFiveSeconds_thenAdmits() {
    limits.record(N3, List.of(MEMORY_FULL));

    now.addAndGet(TimeUnit.SECONDS.toNanos(4));
    limits.noAnswer(N3);
    assertThat(limits.refusal(Set.of(N3), entry(put()))).isNotNull();

    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    limits.noAnswer(N3);
    assertThat(limits.refusal(Set.of(N3), entry(put()))).isNull();
  }

  @Test
  void aReportNobodyRenews_expiresWithoutAnyCall() {
    limits.record(N3, List.of(MEMORY_FULL));

    now.addAndGet(TimeUnit.SECONDS.toNanos(8));
    assertThat(limits.refusal(Set.of(N3), entry(put()))).isNull();
  }

  @Test
  void limitsOf_keepsTheReasonsThisVersionKnows() {
    GetNodeStatusResponse status = GetNodeStatusResponse.newBuilder()
        .addLimitsReached(WriteLimitReached.newBuilder().setReason(ErrorReason.MEMORY_FULL).setMessage("m"))
        .addLimitsReached(WriteLimitReached.newBuilder().setReasonValue(9_999).setMessage("a newer node's"))
        .addLimitsReached(WriteLimitReached.newBuilder().setReason(ErrorReason.DISK_FULL).setMessage("d"))
        .build();

    assertThat(ReplicaWriteLimits.limitsOf(status))
        .containsExactly(new WriteRefusal(ErrorReason.MEMORY_FULL, "m"), new WriteRefusal(ErrorReason.DISK_FULL, "d"));
    assertThat(ReplicaWriteLimits.limitsOf(GetNodeStatusResponse.getDefaultInstance())).isEmpty();
  }

  private static Supplier<LogEntry> entry(Command command) {
    return () -> LogEntry.newBuilder().addCommands(command).build();
  }
}
