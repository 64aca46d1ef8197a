package ringkv.server.groups;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServer.Division;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.config.NodeConfig;
import ringkv.server.config.PeerSpec;

/**
 * The shard groups of the cluster as this node knows them: their Raft membership, and access to
 * the local replica (division) of each group this node hosts.
 *
 * <p>The walking skeleton has one shard whose replicas are all configured peers; the cluster map
 * (meta group) replaces the fixed membership later.
 */
public final class ShardGroups {
  private final NodeConfig config;
  private final Map<ShardId, RaftGroup> groups;
  private final Map<RaftGroupId, ShardId> shardsByGroupId;
  private final Map<NodeId, PeerSpec> peersById;
  private volatile RaftServer server;

  public ShardGroups(NodeConfig config, List<ShardId> shards) {
    this.config = config;
    List<RaftPeer> peers = config.peers().stream().map(ShardGroups::raftPeer).toList();
    this.groups = shards.stream().collect(Collectors.toUnmodifiableMap(s -> s, s -> RaftGroup.valueOf(GroupIds.shard(config.clusterId(), s), peers)));
    this.shardsByGroupId = groups.entrySet().stream().collect(Collectors.toUnmodifiableMap(e -> e.getValue().getGroupId(), Map.Entry::getKey));
    this.peersById = config.peers().stream().collect(Collectors.toUnmodifiableMap(PeerSpec::id, p -> p));
  }

  static RaftPeer raftPeer(PeerSpec peer) {
    return RaftPeer.newBuilder().setId(peer.id().value()).setAddress(peer.raftAddress()).build();
  }

  /** Called once the local Raft server exists. */
  public void attach(RaftServer server) {
    this.server = server;
  }

  public List<RaftGroup> groups() {
    return List.copyOf(groups.values());
  }

  public RaftGroup group(ShardId shard) {
    RaftGroup group = groups.get(shard);
    if (group == null) {
      throw new IllegalArgumentException("unknown shard " + shard);
    }
    return group;
  }

  public Optional<ShardId> shardOf(RaftGroupId groupId) {
    return Optional.ofNullable(shardsByGroupId.get(groupId));
  }

  public List<ShardId> shards() {
    return groups.keySet().stream().sorted().toList();
  }

  /** This node's replica of the shard, if it hosts one and the server is running. */
  public Optional<Division> localDivision(ShardId shard) {
    RaftServer s = server;
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(s.getDivision(group(shard).getGroupId()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<KvStateMachine> localStateMachine(ShardId shard) {
    return localDivision(shard).map(d -> (KvStateMachine) d.getStateMachine());
  }

  /** The shard's leader as this node last heard, if any. */
  public Optional<PeerSpec> leaderOf(ShardId shard) {
    return localDivision(shard)
        .map(d -> d.getInfo().getLeaderId())
        .map(RaftPeerId::toString)
        .map(id -> peersById.get(NodeId.of(id)));
  }

  public boolean isLocalLeader(ShardId shard) {
    return localDivision(shard).map(d -> d.getInfo().isLeader()).orElse(false);
  }

  public Optional<PeerSpec> peer(NodeId id) {
    return Optional.ofNullable(peersById.get(id));
  }

  public NodeConfig config() {
    return config;
  }
}
