package ringkv.server.groups;

import java.io.IOException;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServer.Division;
import ringkv.api.v1.NodeInfo;
import ringkv.raft.meta.MetaStateMachine;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.routing.ClusterMapView;

/**
 * The Raft groups of the cluster as this node sees them: each group's membership (from the
 * cluster map), this node's replica (division) of the groups it hosts, and who leads each shard.
 *
 * <p>Leaders of shards this node does not host are learned from the replies of forwarded
 * requests ({@link #noteLeader}).
 */
public final class HostedGroups {
  private final String clusterId;
  private final NodeId self;
  private final ClusterMapView view;
  private final Map<ShardId, NodeId> remoteLeaders = new ConcurrentHashMap<>();
  private volatile RaftServer server;

  public HostedGroups(String clusterId, NodeId self, ClusterMapView view) {
    this.clusterId = clusterId;
    this.self = self;
    this.view = view;
  }

  /** Called once the local Raft server exists. */
  public void attach(RaftServer server) {
    this.server = server;
  }

  public NodeId self() {
    return self;
  }

  public ClusterMapView view() {
    return view;
  }

  public RaftGroupId metaGroupId() {
    return GroupIds.meta(clusterId);
  }

  public RaftGroupId shardGroupId(ShardId shard) {
    return GroupIds.shard(clusterId, shard);
  }

  public static RaftPeer peer(NodeInfo node, int priority) {
    return RaftPeer.newBuilder().setId(node.getId()).setAddress(node.getHost() + ":" + node.getRaftPort())
        .setPriority(priority).build();
  }

  /** The meta group with the map's meta members. */
  public RaftGroup metaGroup(ClusterMapView.Snapshot map) {
    List<RaftPeer> peers = map.map().getMetaMembersList().stream()
        .map(id -> map.node(NodeId.of(id)).orElseThrow(() -> new IllegalStateException("meta member " + id + " is not a node")))
        .map(n -> peer(n, 0))
        .toList();
    return RaftGroup.valueOf(metaGroupId(), peers);
  }

  /** A shard's group; its first replica, the preferred leader, gets the higher priority. */
  public RaftGroup shardGroup(ClusterMapView.Snapshot map, ShardId shard) {
    List<NodeId> replicas = map.replicasOf(shard);
    List<RaftPeer> peers = new java.util.ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      NodeInfo node = map.node(replicas.get(i)).orElseThrow();
      peers.add(peer(node, i == 0 ? 1 : 0));
    }
    return RaftGroup.valueOf(shardGroupId(shard), peers);
  }

  public RaftGroup shardGroup(ShardId shard) {
    return shardGroup(view.require(), shard);
  }

  /** This node's Raft server, once attached. */
  public Optional<RaftServer> localServer() {
    return Optional.ofNullable(server);
  }

  public Optional<Division> division(RaftGroupId groupId) {
    RaftServer s = server;
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(s.getDivision(groupId));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<Division> shardDivision(ShardId shard) {
    return division(shardGroupId(shard));
  }

  public Optional<KvStateMachine> localStateMachine(ShardId shard) {
    return shardDivision(shard).map(d -> (KvStateMachine) d.getStateMachine());
  }

  /** The state machines of every shard replica this node hosts. */
  public List<KvStateMachine> localShardStateMachines() {
    List<KvStateMachine> machines = new ArrayList<>();
    for (RaftGroupId id : hostedGroupIds()) {
      division(id).map(Division::getStateMachine)
          .filter(KvStateMachine.class::isInstance)
          .ifPresent(m -> machines.add((KvStateMachine) m));
    }
    return machines;
  }

  public Optional<MetaStateMachine> localMeta() {
    return division(metaGroupId()).map(d -> (MetaStateMachine) d.getStateMachine());
  }

  public boolean isLocalLeader(ShardId shard) {
    return shardDivision(shard).map(d -> d.getInfo().isLeader()).orElse(false);
  }

  public boolean isMetaLeader() {
    return division(metaGroupId()).map(d -> d.getInfo().isLeader()).orElse(false);
  }

  /** The shard's leader as this node knows it: its own replica's view, else the last reply seen. */
  public Optional<NodeInfo> leaderOf(ShardId shard) {
    ClusterMapView.Snapshot map = view.current();
    if (map == null) {
      return Optional.empty();
    }
    Optional<NodeId> leader = shardDivision(shard)
        .map(d -> d.getInfo().getLeaderId())
        .map(id -> NodeId.of(id.toString()));
    if (leader.isEmpty()) {
      leader = Optional.ofNullable(remoteLeaders.get(shard));
    }
    return leader.flatMap(map::node);
  }

  public void noteLeader(ShardId shard, NodeId leader) {
    remoteLeaders.put(shard, leader);
  }

  public Set<RaftGroupId> hostedGroupIds() {
    Set<RaftGroupId> ids = new HashSet<>();
    RaftServer s = server;
    if (s != null) {
      s.getGroupIds().forEach(ids::add);
    }
    return ids;
  }

  /** Removes this node's replica of the group and deletes its directory (its log and snapshots). */
  public void unhost(RaftGroupId groupId) throws IOException {
    RaftServer s = server;
    RaftClientReply reply = s.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), s.getId(), 0, groupId, true, false));
    if (!reply.isSuccess()) {
      throw new IOException("removing group " + groupId + " failed", reply.getException());
    }
  }

  /** Creates this node's replica of {@code group} (a new group, or an empty one to be added). */
  public void host(RaftGroup group) throws IOException {
    RaftServer s = server;
    RaftClientReply reply = s.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), s.getId(), 0, group));
    if (!reply.isSuccess()) {
      throw new IOException("hosting group " + group.getGroupId() + " failed", reply.getException());
    }
  }
}
