package ringkv.server.groups;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.SetPreferredLeader;
import ringkv.api.v1.ShardInfo;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.meta.NodeEditor;
import ringkv.router.ShardId;
import ringkv.server.routing.ClusterMapView;

/**
 * Keeps shard leaders spread evenly over the nodes, on the meta leader. A shard's preferred
 * leader is the first node of its replicas in the map, and Ratis hands the leadership to the
 * replica of highest priority; so balancing is two steps, each idempotent:
 *
 * <ol>
 *   <li>when one node is preferred by two shards more than another that also holds a replica of
 *       one of them, the map makes that other node the preferred leader ({@link
 *       NodeEditor#nextLeaderMove}; one change per tick, so leaders move one at a time);
 *   <li>when a shard's order in the map differs from the one this meta leader last gave its Raft
 *       group, the group's priorities are set from the map (same members, one configuration entry);
 *       Ratis then moves the leadership to the preferred replica once it has caught up.
 * </ol>
 *
 * <p>So after a node joins or leaves, a shard is added or removed, or a leader failed over, the
 * leaders return to an even spread. A leadership moved elsewhere (Admin/TransferLeadership, a
 * drain, a failover) returns to the preferred replica after a minute, once that replica is up.
 */
final class LeaderBalancer {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderBalancer.class);

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;
  /**
   * How long a shard may be led by another replica than its preferred one before its priorities
   * are set again: a drain moves leaderships away on purpose (and the node then stops), a failover
   * picks whoever is up; once the preferred node is back and caught up, Ratis returns the
   * leadership to it. Long enough that a drained node is gone before this would hand it back.
   */
  private static final long DIVERGENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** The replica order this meta leader last gave each shard's Raft group. */
  private final Map<ShardId, List<String>> applied = new HashMap<>();
  /** Since when each shard has been led by a replica other than its preferred one, as this node sees it. */
  private final Map<ShardId, Long> divergedSince = new HashMap<>();

  LeaderBalancer(HostedGroups groups, MetaClient meta, RaftTuning tuning) {
    this.groups = groups;
    this.meta = meta;
    this.tuning = tuning;
  }

  void balance(ClusterMapView.Snapshot map) {
    NodeEditor.nextLeaderMove(map.map()).ifPresent(move -> {
      try {
        meta.submit(MetaCommand.newBuilder().setSetPreferredLeader(move).build()).get(10, TimeUnit.SECONDS);
        LOG.info("preferred leader changed shard={} node={} (leader balance)", move.getShardId(), move.getNodeId());
      } catch (Exception e) {
        LOG.debug("leader balance: cannot change the preferred leader of shard {}: {}", move.getShardId(), e.toString());
      }
    });
    for (ShardInfo shard : map.map().getShardsList()) {
      ShardId id = ShardId.of(shard.getId());
      if (shard.getReplicasCount() == 0 || shard.hasMove()) {
        continue;
      }
      noteDivergence(id, shard);
      if (!applied.containsKey(id)) {
        // a shard this meta leader has not handled yet: its group was created (or last changed)
        // with the map's order, so take that as given; setting it again on every shard would only
        // slow the controller's first ticks (a stale order shows up as a divergence)
        applied.put(id, List.copyOf(shard.getReplicasList()));
        continue;
      }
      if (shard.getReplicasList().equals(applied.get(id))) {
        continue;
      }
      try {
        RaftGroup group = groups.shardGroup(map, id);
        RaftClients.setMembers(group, List.copyOf(group.getPeers()), tuning);
        applied.put(id, List.copyOf(shard.getReplicasList()));
      } catch (Exception e) {
        LOG.debug("leader balance: cannot set the priorities of shard {}: {}", shard.getId(), e.toString());
      }
      return; // one group per tick: a shard without a quorum must not hold up the others for long
    }
  }

  /**
   * Forgets the priorities given to a shard that has been led by another than its preferred replica
   * for {@link #DIVERGENCE_NANOS} (a drain or a failover changed them), so they are set again.
   */
  private void noteDivergence(ShardId id, ShardInfo shard) {
    String leader = groups.leaderOf(id).map(n -> n.getId()).orElse(null);
    if (leader == null || leader.equals(shard.getReplicas(0))) {
      divergedSince.remove(id);
      return;
    }
    long now = System.nanoTime();
    long since = divergedSince.computeIfAbsent(id, k -> now);
    if (now - since > DIVERGENCE_NANOS) {
      applied.remove(id);
      divergedSince.remove(id);
      LOG.info("leader balance: shard {} led by {} instead of {} for over {} s; setting its priorities again",
          shard.getId(), leader, shard.getReplicas(0), TimeUnit.NANOSECONDS.toSeconds(DIVERGENCE_NANOS));
    }
  }

  /** This node no longer leads the meta group: the next time it does, it starts from the map's order again. */
  void forget() {
    applied.clear();
    divergedSince.clear();
  }
}
