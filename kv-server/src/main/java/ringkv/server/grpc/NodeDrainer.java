package ringkv.server.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.RaftServer.Division;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * Drains this node before it stops: moves away every leadership it holds, closes the {@link
 * DrainGate} so that new KV requests go to other nodes, and waits for the requests in flight.
 *
 * <p>Implementation notes. Leaderships move first, while the node still takes requests (it
 * forwards them to the new leaders), so that clients find the new leaders before this node
 * refuses anything. Each leadership goes to the replica whose commit index is highest (the most
 * caught-up one; Ratis still catches it up fully before it hands over) through {@link
 * LeadershipService}, which also makes it the group's preferred leader so that the leadership
 * does not come back here. A node can still win an election while draining (another leader
 * failed), so the leaderships are looked at again after the requests finished. One drain runs at
 * a time (a kvctl drain and the SIGTERM drain may overlap); the second waits for the first and
 * then finds little left to do. Draining is never undone: the node is about to stop, and a
 * restarted process starts undrained.
 */
public final class NodeDrainer {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDrainer.class);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(600);
  private static final long POLL_MILLIS = 50;

  private final HostedGroups groups;
  private final LeadershipService leadership;
  private final DrainGate gate;
  private final ReentrantLock running = new ReentrantLock();
  private volatile boolean draining;

  public NodeDrainer(HostedGroups groups, LeadershipService leadership, DrainGate gate) {
    this.groups = groups;
    this.leadership = leadership;
    this.gate = gate;
  }

  /** True from the first drain on: readiness reports not ready, health NOT_SERVING. */
  public boolean isDraining() {
    return draining;
  }

  /** A group this node leads, and how to ask for its leadership to move. */
  private record LedGroup(String name, TransferLeadershipRequest.Builder request, Division division) {}

  /** Drains this node within {@code timeout}; see the Admin API's {@code DrainNode}. */
  public DrainNodeResponse drain(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    draining = true;
    DrainNodeResponse.Builder report = DrainNodeResponse.newBuilder().setNodeId(groups.self().value());
    try {
      if (!running.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return finish(report, 0, Set.of(), start);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finish(report, 0, Set.of(), start);
    }
    try {
      LOG.info("draining node={} timeout={}", groups.self(), timeout);
      Set<String> unmovable = new TreeSet<>();
      int moved = moveLeaderships(deadline, unmovable);
      gate.close();
      while (gate.inFlight() > 0 && System.nanoTime() < deadline) {
        sleep();
      }
      moved += moveLeaderships(deadline, unmovable);
      DrainNodeResponse response = finish(report, moved, unmovable, start);
      LOG.info("drain {} node={} leaderships_moved={} leaderships_left={} requests_finished={} requests_left={}",
          response.getDrained() ? "done" : "incomplete", groups.self(), moved, response.getLeadershipsLeftList(),
          response.getRequestsFinished(), response.getRequestsLeft());
      return response;
    } finally {
      running.unlock();
    }
  }

  private DrainNodeResponse finish(DrainNodeResponse.Builder report, int moved, Set<String> unmovable, long start) {
    Set<String> left = new TreeSet<>(unmovable);
    ledGroups().forEach(g -> left.add(g.name()));
    long inFlight = gate.inFlight();
    return report.setLeadershipsMoved(moved).addAllLeadershipsLeft(left)
        .setRequestsFinished(gate.finishedSinceClose()).setRequestsLeft(inFlight)
        .setDrained(gate.isClosed() && left.isEmpty() && inFlight == 0)
        .setElapsedMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .build();
  }

  /**
   * Moves every leadership this node holds, trying again (a transfer refused while the target
   * catches up) until none is left or the deadline passes. Groups with no other replica go to
   * {@code unmovable}.
   */
  private int moveLeaderships(long deadline, Set<String> unmovable) {
    int moved = 0;
    while (System.nanoTime() < deadline) {
      List<LedGroup> led = ledGroups().stream().filter(g -> !unmovable.contains(g.name())).toList();
      if (led.isEmpty()) {
        break;
      }
      for (LedGroup group : led) {
        Optional<String> target = mostCaughtUpPeer(group.division());
        if (target.isEmpty()) {
          LOG.warn("drain cannot move the leadership of {}: it has no other replica", group.name());
          unmovable.add(group.name());
          continue;
        }
        try {
          Duration left = Duration.ofNanos(deadline - System.nanoTime());
          leadership.transfer(group.request().setToNodeId(target.get()).build(), left);
          moved++;
        } catch (RequestFailedException e) {
          LOG.warn("drain: moving the leadership of {} to {} failed, trying again: {}", group.name(), target.get(),
              e.getMessage());
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
      }
      sleep();
    }
    return moved;
  }

  /** The groups this node's replicas lead now. */
  private List<LedGroup> ledGroups() {
    List<LedGroup> led = new ArrayList<>();
    groups.division(groups.metaGroupId()).filter(NodeDrainer::isLeader)
        .ifPresent(d -> led.add(new LedGroup("meta", TransferLeadershipRequest.newBuilder().setMeta(true), d)));
    ClusterMapView.Snapshot map = groups.view().current();
    if (map != null) {
      for (ShardId shard : map.shards()) {
        groups.shardDivision(shard).filter(NodeDrainer::isLeader).ifPresent(d -> led.add(
            new LedGroup("shard-" + shard.value(), TransferLeadershipRequest.newBuilder().setShardId(shard.value()), d)));
      }
    }
    return led;
  }

  private static boolean isLeader(Division division) {
    return division.getInfo().isLeader();
  }

  /** The other voting replica with the highest commit index the leader knows of. */
  private Optional<String> mostCaughtUpPeer(Division division) {
    Set<String> voters = new TreeSet<>();
    division.getRaftConf().getCurrentPeers().forEach(p -> voters.add(p.getId().toString()));
    voters.remove(groups.self().value());
    return division.getCommitInfos().stream()
        .filter(info -> voters.contains(info.getServer().getId().toStringUtf8()))
        .max(Comparator.comparingLong(CommitInfoProto::getCommitIndex))
        .map(info -> info.getServer().getId().toStringUtf8())
        .or(() -> voters.stream().findFirst());
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RequestFailedException(ringkv.api.v1.ErrorReason.TIMEOUT, "interrupted while draining", false, e);
    }
  }
}
