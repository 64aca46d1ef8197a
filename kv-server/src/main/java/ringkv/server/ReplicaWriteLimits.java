package ringkv.server;

import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer.Division;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.WriteLimitReached;
import ringkv.raft.shard.WriteGate;
import ringkv.raft.shard.WriteRefusal;
import ringkv.router.NodeId;
import ringkv.server.groups.HostedGroups;
import ringkv.server.grpc.NodeStatusCollector;
import ringkv.server.routing.ClusterMapView;

/**
 * The write limits that the other replicas of this node's shards have reached, so that a shard's
 * leader refuses what any of its replicas would refuse. {@link DiskSpaceGuard} and
 * {@link DataMemoryGuard} see only their own node, and a write is checked where it enters and on
 * the leader. A follower can be fuller than its leader: with more nodes than replicas each node
 * holds a different set of shards, and nodes may have different heaps or disks. Without this the
 * leader would go on appending until the follower ran out of heap (it exits, and on restart it
 * replays the same log into the same heap) or disk.
 *
 * <p>As etcd raises one member's NOSPACE alarm for the whole cluster: a shard refuses DISK_FULL
 * writes while any replica's disk is below its reserve, and MEMORY_FULL writes that add data
 * while any replica holds {@code max-data-memory}; deletes go on in the latter case, so data can
 * be freed. The refusal names the replica.
 *
 * <p>Every {@link #POLL_INTERVAL_MILLIS} the node asks the other replicas of the shards it leads
 * (Admin/GetNodeStatus, {@code limits_reached}). So a follower can pass its limit by what the shard
 * takes in about a second, far inside the headroom both limits leave. A node that reported a limit
 * and then stops answering counts as at it for {@link #UNANSWERED_STANDS_NANOS} (a collector pause
 * must not let a burst in), then as within its limits (a node that is down takes no appends); a
 * node older than the field counts as within its limits.
 */
public final class ReplicaWriteLimits implements AutoCloseable {
  static final long POLL_INTERVAL_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaWriteLimits.class);
  /** Below the interval, so that two asks of one node never overlap and an old answer cannot follow a newer one. */
  private static final long DEADLINE_MILLIS = POLL_INTERVAL_MILLIS - 100;
  /**
   * How long a replica's last report of a limit stands while it does not answer: a node at its
   * memory limit may miss a poll to a collector pause, and must not let a burst of writes in.
   */
  private static final long UNANSWERED_STANDS_NANOS = TimeUnit.SECONDS.toNanos(5);
  /**
   * A report older than this is not acted on, whatever else happens: a node no longer asked (no
   * longer in this node's map, say) must not keep a shard refusing.
   */
  private static final long REPORT_EXPIRES_NANOS =
      UNANSWERED_STANDS_NANOS + TimeUnit.MILLISECONDS.toNanos(2 * POLL_INTERVAL_MILLIS);

  private final HostedGroups groups;
  private final NodeStatusCollector channels;
  private final LongSupplier nanoTime;
  /** Only the nodes that reported a limit reached, with what they reported. */
  private final Map<NodeId, Report> reached = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ReplicaWriteLimits(HostedGroups groups, NodeStatusCollector channels) {
    this(groups, channels, System::nanoTime);
  }

  ReplicaWriteLimits(HostedGroups groups, NodeStatusCollector channels, LongSupplier nanoTime) {
    this.groups = groups;
    this.channels = channels;
    this.nanoTime = nanoTime;
  }

  /** What the state machine of {@code groupId} asks before an entry is appended on its leader. */
  public WriteGate gateFor(RaftGroupId groupId) {
    return entry -> reached.isEmpty() ? null : refusal(otherReplicas(groupId), entry);
  }

  /** What this node reports of its own limits, for the other replicas' leaders. */
  public static List<WriteLimitReached> ownLimitsReached(DiskSpaceGuard disk, DataMemoryGuard memory) {
    return Stream.of(disk.refusal(), memory.refusalWhenFull())
        .filter(Objects::nonNull)
        .map(r -> WriteLimitReached.newBuilder().setReason(r.reason()).setMessage(r.message()).build())
        .toList();
  }

  /** Why an entry of a shard with these other replicas is refused now, or null. */
  @Nullable WriteRefusal refusal(Set<NodeId> otherReplicas, Supplier<LogEntry> entry) {
    Boolean addsData = null;  // decoded once, and only when a replica is at its memory limit
    long now = nanoTime.getAsLong();
    for (NodeId replica : otherReplicas) {
      Report report = reached.get(replica);
      if (report == null || now - report.atNanos() > REPORT_EXPIRES_NANOS) {
        continue;
      }
      for (WriteRefusal limit : report.limits()) {
        if (limit.reason() != ErrorReason.DISK_FULL) {  // MEMORY_FULL: only writes that add data
          if (addsData == null) {
            addsData = entry.get().getCommandsList().stream().anyMatch(DataMemoryGuard::addsData);
          }
          if (!addsData) {
            continue;
          }
        }
        return new WriteRefusal(limit.reason(), "node " + replica.value() + ", a replica of this shard, refuses it: "
            + limit.message());
      }
    }
    return null;
  }

  /**
   * Asks the other replicas of the shards this node leads for their limits; answers come in
   * asynchronously. Never throws: it runs on a schedule that an exception would end.
   */
  public void poll() {
    try {
      pollReplicas();
    } catch (RuntimeException e) {
      LOG.warn("cannot ask the other replicas for their write limits: {}", e.toString());
    }
  }

  private void pollReplicas() {
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null || closed) {
      return;
    }
    Set<NodeId> polled = new HashSet<>();
    for (RaftGroupId groupId : groups.hostedGroupIds()) {
      boolean leads = groups.division(groupId).map(d -> d.getInfo().isLeader()).orElse(false);
      if (leads && !groupId.equals(groups.metaGroupId())) {
        polled.addAll(otherReplicas(groupId));
      }
    }
    // a node no longer asked (no shard in common any more) must not keep a shard refusing
    reached.keySet().retainAll(polled);
    for (NodeId node : polled) {
      map.node(node).ifPresent(info -> ask(node, info));
    }
  }

  private void ask(NodeId node, NodeInfo info) {
    AdminGrpc.newStub(channels.channel(info)).withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .getNodeStatus(GetNodeStatusRequest.getDefaultInstance(), new StreamObserver<>() {
          @Override
          public void onNext(GetNodeStatusResponse status) {
            record(node, limitsOf(status));
          }

          @Override
          public void onError(Throwable t) {
            noAnswer(node);
          }

          @Override
          public void onCompleted() {
          }
        });
  }

  /** The limits a node's status reports, those this version knows: a newer node's other reasons are not acted on. */
  static List<WriteRefusal> limitsOf(GetNodeStatusResponse status) {
    return status.getLimitsReachedList().stream()
        .filter(limit -> limit.getReason() == ErrorReason.DISK_FULL || limit.getReason() == ErrorReason.MEMORY_FULL)
        .map(limit -> new WriteRefusal(limit.getReason(), limit.getMessage()))
        .toList();
  }

  /** A node did not answer: its last report stands for a while, then is dropped. */
  void noAnswer(NodeId node) {
    Report last = reached.get(node);
    if (last != null && nanoTime.getAsLong() - last.atNanos() > UNANSWERED_STANDS_NANOS) {
      record(node, List.of());
    }
  }

  /** What a node answered: the limits it has reached, none when it takes every write. */
  void record(NodeId node, List<WriteRefusal> limits) {
    if (closed) {
      return;
    }
    Report before = limits.isEmpty() ? reached.remove(node) : reached.put(node, new Report(limits, nanoTime.getAsLong()));
    boolean wasReached = before != null;
    if (!limits.isEmpty() && !wasReached) {
      LOG.warn("node {}, a replica of shards this node leads, has reached a write limit; those shards refuse what it "
          + "would refuse: {}", node.value(), limits.get(0).message());
    } else if (limits.isEmpty() && wasReached) {
      LOG.info("node {} is within its write limits again (or has not answered for {} s); its shards take writes again",
          node.value(), TimeUnit.NANOSECONDS.toSeconds(UNANSWERED_STANDS_NANOS));
    }
  }

  private Set<NodeId> otherReplicas(RaftGroupId groupId) {
    Set<NodeId> replicas = new HashSet<>();
    groups.division(groupId).map(Division::getRaftConf).ifPresent((RaftConfiguration conf) -> {
      // current and previous configuration: during a membership change both hold the entries
      Stream.concat(conf.getAllPeers(RaftPeerRole.FOLLOWER).stream(), conf.getAllPeers(RaftPeerRole.LISTENER).stream())
          .map(RaftPeer::getId)
          .map(id -> NodeId.of(id.toString()))
          .filter(id -> !id.equals(groups.self()))
          .forEach(replicas::add);
    });
    return replicas;
  }

  /** The limits a replica reported reached (never empty), and when. */
  private record Report(List<WriteRefusal> limits, long atNanos) {}

  @Override
  public void close() {
    closed = true;
    reached.clear();
  }
}
