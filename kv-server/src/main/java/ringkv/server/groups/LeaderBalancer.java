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
 * leaders return to an even spread. A leadership moved by hand (Admin/TransferLeadership) stays
 * until the shard's order in the map changes or the meta group elects another leader.
 */
final class LeaderBalancer {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderBalancer.class);

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;
  /** The replica order this meta leader last gave each shard's Raft group. */
  private final Map<ShardId, List<String>> applied = new HashMap<>();

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
      if (shard.getReplicasCount() == 0 || shard.hasMove() || shard.getReplicasList().equals(applied.get(id))) {
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

  /** This node no longer leads the meta group: the next time it does, every shard's priorities are set again. */
  void forget() {
    applied.clear();
  }
}
