package ringkv.server.grpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.raft.config.RaftTuning;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.RaftClients;
import ringkv.server.routing.ClusterMapView;

/**
 * Moves the leadership of one group (a shard or the meta group) to another of its replicas, as
 * operators do before maintenance and as the chaos experiments do in leader transfer storms.
 * Ratis does the work: the leader catches the target up, tells it to start an election at once,
 * and steps down; the call answers once the target leads or the time is up. The target also
 * becomes the group's preferred leader (highest Raft priority), so the leadership stays there
 * until the next transfer instead of going back to the replica the map first preferred.
 */
public final class LeadershipService {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipService.class);
  /** Several election timeouts on a busy 2-core machine; the target must also catch up first. */
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(20);

  private final HostedGroups groups;
  private final RaftTuning tuning;

  public LeadershipService(HostedGroups groups, RaftTuning tuning) {
    this.groups = groups;
    this.tuning = tuning;
  }

  TransferLeadershipResponse transfer(TransferLeadershipRequest request) {
    return transfer(request, TRANSFER_TIMEOUT);
  }

  /** {@link #transfer(TransferLeadershipRequest)} giving up after {@code timeout} (a drain's time left). */
  TransferLeadershipResponse transfer(TransferLeadershipRequest request, Duration timeout) {
    ClusterMapView.Snapshot map = groups.view().require();
    String name;
    RaftGroup group;
    Optional<String> knownLeader;
    switch (request.getGroupCase()) {
      case META -> {
        name = "meta";
        group = groups.metaGroup(map);
        knownLeader = groups.division(groups.metaGroupId())
            .map(d -> d.getInfo().getLeaderId()).map(RaftPeerId::toString);
      }
      case SHARD_ID -> {
        ShardId shard = SnapshotService.existingShard(map, request.getShardId());
        name = "shard-" + shard.value();
        group = groups.shardGroup(map, shard);
        knownLeader = groups.leaderOf(shard).map(n -> n.getId());
      }
      default -> throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "group", 0,
          "name the group whose leadership moves: shard_id or meta");
    }
    RaftPeerId target = target(name, group, request.getToNodeId(), knownLeader);
    RaftClient client = RaftClients.forAdmin(group, tuning);
    try {
      // Ratis hands leadership to the replica of highest priority (that is how each shard's
      // preferred leader is placed), refuses a transfer to any other, and would soon take it back.
      // So the target becomes the group's preferred replica first: the same members, priorities
      // changed, one configuration entry in the group's log.
      RaftClientReply reconfigured = client.admin().setConfiguration(group.getPeers().stream()
          .map(p -> RaftPeer.newBuilder(p).setPriority(p.getId().equals(target) ? 1 : 0).build()).toList());
      if (!reconfigured.isSuccess()) {
        throw new RequestFailedException(ErrorReason.NO_LEADER, "cannot make " + target + " the preferred leader of " + name
            + ": " + reconfigured.getException(), true);
      }
      RaftClientReply reply = client.admin().transferLeadership(target, Math.max(1, timeout.toMillis()));
      if (!reply.isSuccess()) {
        throw new RequestFailedException(ErrorReason.NO_LEADER, "leadership of " + name + " did not move to " + target
            + ": " + reply.getException(), true);
      }
      LOG.info("leadership transferred group={} from={} to={}", name, reply.getServerId(), target);
      return TransferLeadershipResponse.newBuilder().setPreviousLeaderId(reply.getServerId().toString())
          .setLeaderId(target.toString()).build();
    } catch (IOException e) {
      throw new RequestFailedException(ErrorReason.NO_LEADER, "leadership of " + name + " did not move to " + target
          + " within " + timeout.toMillis() + " ms: " + e.getMessage(), true, e);
    } finally {
      RaftClients.closeBounded(client);
    }
  }

  /** The named replica, or a random one other than the leader this node knows of. */
  private static RaftPeerId target(String name, RaftGroup group, String toNodeId, Optional<String> knownLeader) {
    List<String> replicas = group.getPeers().stream().map(p -> p.getId().toString()).sorted().toList();
    if (!toNodeId.isEmpty()) {
      if (!replicas.contains(toNodeId)) {
        throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "to_node_id", 0,
            "node " + toNodeId + " holds no replica of " + name + "; its replicas are on " + replicas);
      }
      return RaftPeerId.valueOf(toNodeId);
    }
    List<RaftPeer> others = group.getPeers().stream()
        .filter(p -> knownLeader.isEmpty() || !p.getId().toString().equals(knownLeader.get())).toList();
    if (others.isEmpty()) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "group", 0,
          name + " has a single replica (on " + replicas + "); there is nowhere to move its leadership");
    }
    return others.get(ThreadLocalRandom.current().nextInt(others.size())).getId();
  }
}
