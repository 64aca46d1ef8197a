package ringkv.server.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.FinishReplicaMove;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ReplicaMove;
import ringkv.api.v1.ShardInfo;
import ringkv.raft.config.RaftTuning;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.routing.ClusterMapView;

/**
 * Drives the replica moves the map records (Admin/MoveReplica) to their end, on the meta leader:
 *
 * <ol>
 *   <li>an empty replica of the shard's group on the new node;
 *   <li>one Raft membership change from the map's replicas to the same list with the new node in
 *       the old one's place (Ratis catches the new replica up first, then commits the change by
 *       joint consensus, so the shard keeps a quorum throughout);
 *   <li>{@code FinishReplicaMove} in the meta group: the map swaps the nodes (a new epoch). The old
 *       node sees it and drops its replica ({@link ClusterController}).
 * </ol>
 *
 * <p>Every step is idempotent and the move is in the map, so a step that fails (the new node
 * down, a leader change, the meta leader killed) is done again on a later tick, by whichever
 * node leads the meta group then.
 */
final class ReplicaMoves {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaMoves.class);

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;

  ReplicaMoves(HostedGroups groups, MetaClient meta, RaftTuning tuning) {
    this.groups = groups;
    this.meta = meta;
    this.tuning = tuning;
  }

  /** Advances every move of {@code map}, one after another; a failure is logged and retried on the next tick. */
  void advance(ClusterMapView.Snapshot map) {
    for (ShardInfo shard : map.map().getShardsList()) {
      if (shard.hasMove()) {
        try {
          finish(map, shard);
        } catch (Exception e) {
          // every tick (500 ms) while a node is unreachable: keep the log readable
          LOG.debug("replica move of shard {} from {} to {} not done yet, will retry: {}", shard.getId(),
              shard.getMove().getFromNodeId(), shard.getMove().getToNodeId(), e.toString());
        }
      }
    }
  }

  private void finish(ClusterMapView.Snapshot map, ShardInfo shard) throws Exception {
    ReplicaMove move = shard.getMove();
    ShardId id = ShardId.of(shard.getId());
    RaftGroup current = groups.shardGroup(map, id);
    NodeInfo target = map.node(NodeId.of(move.getToNodeId()))
        .orElseThrow(() -> new IllegalStateException("node " + move.getToNodeId() + " is not in the map"));
    List<RaftPeer> members = new ArrayList<>();
    for (int i = 0; i < shard.getReplicasCount(); i++) {
      String replica = shard.getReplicas(i);
      NodeInfo node = replica.equals(move.getFromNodeId()) ? target : map.node(NodeId.of(replica)).orElseThrow();
      // the first replica is the preferred leader, as in HostedGroups.shardGroup
      members.add(HostedGroups.peer(node, i == 0 ? 1 : 0));
    }
    long started = System.nanoTime();
    RaftClients.addEmptyReplica(current.getGroupId(), HostedGroups.peer(target, 0), tuning);
    RaftClients.setMembers(current, members, tuning);
    meta.submit(MetaCommand.newBuilder().setFinishReplicaMove(FinishReplicaMove.newBuilder().setShardId(shard.getId())
        .setFromNodeId(move.getFromNodeId()).setToNodeId(move.getToNodeId())).build()).get(10, TimeUnit.SECONDS);
    LOG.info("replica moved shard={} from={} to={} members={} took_ms={}", shard.getId(), move.getFromNodeId(),
        move.getToNodeId(), members.stream().map(p -> p.getId().toString()).toList(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
