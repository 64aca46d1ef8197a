package ringkv.server.groups;

import java.io.IOException;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.SetMetaMembers;
import ringkv.api.v1.ShardInfo;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.meta.ClusterMapEditor;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.routing.ClusterMapView;

/**
 * Keeps this node in step with the cluster map, on a timer:
 *
 * <ol>
 *   <li>reads the newest map from the meta group and adopts it;
 *   <li>hosts every shard replica the map places on this node (group creation at run time);
 *   <li>drops the replica of every shard the map has moved away from this node;
 *   <li>drops the replica of every shard the map no longer has (a removed shard), and its meta
 *       replica once it left the meta group (a removed node);
 *   <li>on the meta leader only: grows the meta group to {@value ClusterMapEditor#META_REPLICAS}
 *       voters as nodes join (an empty replica on the new node, then a Raft membership change,
 *       then the map records it), and advances the replica moves ({@link ReplicaMoves}) and
 *       partition moves ({@link PartitionMoves}) in flight, finishes node removals ({@link
 *       LeavingNodes}) and spreads leaders evenly ({@link LeaderBalancer}).
 * </ol>
 *
 * <p>Every step is idempotent, so a step that fails (a node still starting, a leader change)
 * is simply tried again on the next tick.
 */
public final class ClusterController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterController.class);
  private static final long TICK_MILLIS = 500;

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;
  private final ScheduledExecutorService executor;
  private final ReplicaMoves replicaMoves;
  private final ExecutorService moveWorkers;
  private final PartitionMoves partitionMoves;
  private final LeavingNodes leavingNodes;
  private final LeaderBalancer leaderBalancer;
  private final NodeInfo self;
  /** Whether this process has seen itself in a map read from the meta group (or registered again). */
  private boolean knownToTheMap;

  public ClusterController(HostedGroups groups, NodeInfo self, MetaClient meta, RaftTuning tuning,
      ScheduledExecutorService executor, MeterRegistry registry) {
    this.groups = groups;
    this.self = self;
    this.meta = meta;
    this.tuning = tuning;
    this.executor = executor;
    this.replicaMoves = new ReplicaMoves(groups, meta, tuning);
    this.moveWorkers = Executors.newFixedThreadPool(PartitionMoves.PARALLEL,
        new ThreadFactoryBuilder().setDaemon(true).setNameFormat("ringkv-partition-move-%d").build());
    this.partitionMoves = new PartitionMoves(groups, meta, tuning, new PartitionMoveMetrics(registry), moveWorkers);
    this.leavingNodes = new LeavingNodes(groups, meta, tuning);
    this.leaderBalancer = new LeaderBalancer(groups, meta, tuning);
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::tickQuietly, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Reads the newest map now (linearizable) and adopts it; returns the view afterwards. */
  public ClusterMapView.Snapshot refresh() throws Exception {
    ClusterMap map = meta.read().get(10, TimeUnit.SECONDS);
    groups.view().update(map);
    return groups.view().require();
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (Exception e) {
      LOG.debug("cluster controller tick failed; retrying next tick", e);
    }
  }

  private void tick() throws Exception {
    boolean fresh = false;
    try {
      refresh();
      fresh = true;
    } catch (Exception e) {
      LOG.debug("cannot read the cluster map from the meta group: {}", e.toString());
    }
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null) {
      return;
    }
    hostPlacedShards(map);
    if (fresh && !knownToTheMap) {
      registerAgainIfForgotten(map);
    }
    if (fresh) {
      // only on a map just read from the meta group: a stale one could name a replica that has
      // since moved here as not ours
      dropMovedAwayShards(map);
      dropRemovedShards(map);
    }
    if (groups.isMetaLeader()) {
      growMetaGroup(map);
      replicaMoves.advance(map);
      partitionMoves.advance(map);
      leavingNodes.advance(map);
      leaderBalancer.balance(map);
    } else {
      leaderBalancer.forget();
    }
  }

  /**
   * A node removed from the map (Admin/RemoveNode) that is started again joins as a new node: the
   * first map this process reads decides, so that a removed node that keeps running stays out.
   */
  private void registerAgainIfForgotten(ClusterMapView.Snapshot map) throws Exception {
    if (map.map().getNodesList().stream().noneMatch(n -> n.getId().equals(self.getId()))) {
      meta.submit(MetaCommand.newBuilder().setRegisterNode(RegisterNode.newBuilder()
          .setClusterId(map.map().getClusterId()).setNode(self)).build()).get(10, TimeUnit.SECONDS);
      LOG.info("registered again node={}: the map had forgotten it (removed earlier)", self.getId());
    }
    knownToTheMap = true;
  }

  /** Removes the local replica of every shard group the map no longer has (Admin/RemoveShard finished). */
  private void dropRemovedShards(ClusterMapView.Snapshot map) {
    Set<RaftGroupId> inMap = new HashSet<>();
    String self = groups.self().value();
    boolean stillMember = map.map().getMetaMembersList().contains(self)
        || map.map().getNodesList().stream().anyMatch(n -> n.getId().equals(self) && !n.getLeaving());
    if (stillMember) {
      // (a node joining the meta group hosts it before the map lists it as a member: only a node
      // that is leaving, or gone from the map, drops its meta replica)
      inMap.add(groups.metaGroupId());
    }
    map.map().getShardsList().forEach(s -> inMap.add(groups.shardGroupId(ShardId.of(s.getId()))));
    for (RaftGroupId hosted : groups.hostedGroupIds()) {
      if (!inMap.contains(hosted)) {
        try {
          groups.unhost(hosted);
          LOG.info("dropped replica group={} epoch={}: its shard was removed from the map", hosted, map.epoch());
        } catch (IOException e) {
          LOG.warn("cannot drop replica group={}: {}", hosted, e.toString());
        }
      }
    }
  }

  /** Removes the local replica (and its data) of every shard the map no longer places here. */
  private void dropMovedAwayShards(ClusterMapView.Snapshot map) {
    Set<RaftGroupId> hosted = groups.hostedGroupIds();
    for (ShardInfo shard : map.map().getShardsList()) {
      RaftGroupId id = groups.shardGroupId(ShardId.of(shard.getId()));
      String self = groups.self().value();
      boolean ours = shard.getReplicasList().contains(self) || (shard.hasMove() && shard.getMove().getToNodeId().equals(self));
      if (!ours && hosted.contains(id) && !shard.getReplicasList().isEmpty()) {
        try {
          groups.unhost(id);
          LOG.info("dropped replica shard={} group={} epoch={}: the map places it on {}", shard.getId(), id, map.epoch(),
              shard.getReplicasList());
        } catch (IOException e) {
          LOG.warn("cannot drop replica shard={}: {}", shard.getId(), e.toString());
        }
      }
    }
  }

  private void hostPlacedShards(ClusterMapView.Snapshot map) {
    Set<RaftGroupId> hosted = groups.hostedGroupIds();
    for (ShardId shard : map.shards()) {
      if (!map.replicasOf(shard).contains(groups.self())) {
        continue;
      }
      RaftGroup group = groups.shardGroup(map, shard);
      if (!hosted.contains(group.getGroupId())) {
        try {
          groups.host(group);
          LOG.info("hosting replica shard={} group={} epoch={}", shard, group.getGroupId(), map.epoch());
        } catch (IOException e) {
          if (!(e.getCause() instanceof AlreadyExistsException)) {
            LOG.warn("cannot host replica shard={}: {}", shard, e.toString());
          }
        }
      }
    }
  }

  private void growMetaGroup(ClusterMapView.Snapshot map) throws Exception {
    List<String> candidates = ClusterMapEditor.metaCandidates(map.map());
    if (candidates.isEmpty()) {
      return;
    }
    String candidate = candidates.get(0);
    NodeInfo node = map.node(NodeId.of(candidate)).orElseThrow();
    RaftPeer newPeer = HostedGroups.peer(node, 0);
    RaftGroup current = groups.metaGroup(map);
    // 1. an empty replica of the meta group on the new node (it must not start elections)
    RaftClients.addEmptyReplica(current.getGroupId(), newPeer, tuning);
    // 2. the membership change; returns once the new member caught up
    List<RaftPeer> members = new ArrayList<>(current.getPeers());
    members.add(newPeer);
    RaftClients.setMembers(current, members, tuning);
    // 3. the map records the new membership (every node's meta client follows it)
    List<String> ids = members.stream().map(RaftPeer::getId).map(RaftPeerId::toString).toList();
    meta.submit(MetaCommand.newBuilder().setSetMetaMembers(SetMetaMembers.newBuilder().addAllNodeIds(ids)).build())
        .get(10, TimeUnit.SECONDS);
    LOG.info("meta group grew members={}", ids);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    moveWorkers.shutdownNow();
  }
}
