package ringkv.server.groups;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import ringkv.api.v1.SetMetaMembers;
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
 *   <li>on the meta leader only: grows the meta group to {@value ClusterMapEditor#META_REPLICAS}
 *       voters as nodes join (an empty replica on the new node, then a Raft membership change,
 *       then the map records it).
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

  public ClusterController(HostedGroups groups, MetaClient meta, RaftTuning tuning, ScheduledExecutorService executor) {
    this.groups = groups;
    this.meta = meta;
    this.tuning = tuning;
    this.executor = executor;
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
    try {
      refresh();
    } catch (Exception e) {
      LOG.debug("cannot read the cluster map from the meta group: {}", e.toString());
    }
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null) {
      return;
    }
    hostPlacedShards(map);
    if (groups.isMetaLeader()) {
      growMetaGroup(map);
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
    RaftClient toNewNode = RaftClients.forAdmin(RaftGroup.valueOf(current.getGroupId(), newPeer), tuning);
    try {
      toNewNode.getGroupManagementApi(newPeer.getId()).add(RaftGroup.valueOf(current.getGroupId()));
    } catch (AlreadyExistsException e) {
      // created on an earlier tick
    } catch (IOException e) {
      if (!(e.getCause() instanceof AlreadyExistsException) && !String.valueOf(e.getMessage()).contains("already exists")) {
        throw e;
      }
    } finally {
      RaftClients.closeBounded(toNewNode);
    }
    // 2. the membership change; returns once the new member caught up
    List<RaftPeer> members = new ArrayList<>(current.getPeers());
    members.add(newPeer);
    RaftClient metaAdmin = RaftClients.forAdmin(current, tuning);
    try {
      var reply = metaAdmin.admin().setConfiguration(members);
      if (!reply.isSuccess()) {
        throw new IOException("meta membership change failed", reply.getException());
      }
    } finally {
      RaftClients.closeBounded(metaAdmin);
    }
    // 3. the map records the new membership (every node's meta client follows it)
    List<String> ids = members.stream().map(RaftPeer::getId).map(RaftPeerId::toString).toList();
    meta.submit(MetaCommand.newBuilder().setSetMetaMembers(SetMetaMembers.newBuilder().addAllNodeIds(ids)).build())
        .get(10, TimeUnit.SECONDS);
    LOG.info("meta group grew members={}", ids);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
