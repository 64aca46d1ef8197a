package ringkv.server.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.SessionConfig;
import ringkv.router.NodeId;

/**
 * Everything a node needs to start.
 *
 * @param nodeId this node's id; must be one of {@code peers}
 * @param clusterId name of the cluster; Raft group ids are derived from it
 * @param bindHost address the node's servers listen on (loopback by default)
 * @param dataDir where Raft logs and snapshots live
 * @param peers every node of the cluster, this one included
 * @param partitionCount fixed number of partitions (P)
 */
public record NodeConfig(
    NodeId nodeId,
    String clusterId,
    String bindHost,
    Path dataDir,
    List<PeerSpec> peers,
    int partitionCount,
    RaftTuning raft,
    RequestLimits limits,
    SessionConfig sessions) {

  public NodeConfig {
    peers = List.copyOf(peers);
    if (!clusterId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "cluster id must be 1-63 letters, digits, '.', '_' or '-', got '" + clusterId + "'");
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("peers must list at least this node");
    }
    Set<NodeId> ids = new HashSet<>();
    for (PeerSpec peer : peers) {
      if (!ids.add(peer.id())) {
        throw new IllegalArgumentException("peers: node id " + peer.id() + " appears twice");
      }
    }
    if (!ids.contains(nodeId)) {
      throw new IllegalArgumentException("node id " + nodeId + " is not in peers " + peers);
    }
    if (partitionCount < 1 || partitionCount > 65536) {
      throw new IllegalArgumentException("partitions must be in 1..65536, got " + partitionCount);
    }
  }

  public PeerSpec self() {
    return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
  }

  public NodeConfig withDataDir(Path dir) {
    return new NodeConfig(nodeId, clusterId, bindHost, dir, peers, partitionCount, raft, limits, sessions);
  }
}
