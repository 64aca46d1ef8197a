package ringkv.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.NodeInfo;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.SessionConfig;
import ringkv.router.NodeId;

/**
 * Everything a node needs to start.
 *
 * @param nodeId this node's id, unique in the cluster
 * @param clusterId name of the cluster; Raft group ids derive from it, and a node only joins a
 *     cluster of the same id
 * @param bindHost address the node's servers listen on (loopback by default)
 * @param advertiseHost address other nodes and clients use to reach this node
 * @param raftPort Ratis port (all groups of this node)
 * @param apiPort gRPC API port
 * @param dataDir where Raft logs, snapshots and the cached cluster map live
 * @param bootstrap non-null on the node that creates the cluster
 * @param join API endpoints of existing nodes to join through; empty for the bootstrap node or a
 *     restart
 * @param adminPort HTTP port for /metrics, /healthz, /readyz and the dashboard
 * @param drainTimeout how long {@code kv-server} may drain on SIGTERM before it stops anyway
 *     (zero: stop at once, no drain)
 */
public record NodeConfig(
    NodeId nodeId,
    String clusterId,
    String bindHost,
    String advertiseHost,
    int raftPort,
    int apiPort,
    Path dataDir,
    @Nullable BootstrapSettings bootstrap,
    List<String> join,
    RaftTuning raft,
    RequestLimits limits,
    SessionConfig sessions,
    int adminPort,
    Duration drainTimeout) {

  /** Drain on SIGTERM for at most this long by default; Kubernetes' grace period must be longer. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public NodeConfig(NodeId nodeId, String clusterId, String bindHost, String advertiseHost, int raftPort, int apiPort,
      Path dataDir, @Nullable BootstrapSettings bootstrap, List<String> join, RaftTuning raft, RequestLimits limits,
      SessionConfig sessions, int adminPort) {
    this(nodeId, clusterId, bindHost, advertiseHost, raftPort, apiPort, dataDir, bootstrap, join, raft, limits, sessions,
        adminPort, DEFAULT_DRAIN_TIMEOUT);
  }

  /** Admin port by default: the API port + 1000 (8001 -> 9001, as DESIGN.md's 9000 + n). */
  public NodeConfig(NodeId nodeId, String clusterId, String bindHost, String advertiseHost, int raftPort, int apiPort,
      Path dataDir, @Nullable BootstrapSettings bootstrap, List<String> join, RaftTuning raft, RequestLimits limits,
      SessionConfig sessions) {
    this(nodeId, clusterId, bindHost, advertiseHost, raftPort, apiPort, dataDir, bootstrap, join, raft, limits, sessions,
        apiPort + 1000);
  }

  public NodeConfig {
    join = List.copyOf(join);
    if (!clusterId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "cluster id must be 1-63 letters, digits, '.', '_' or '-', got '" + clusterId + "'");
    }
    checkPort("--raft-port", raftPort);
    checkPort("--api-port", apiPort);
    checkPort("--admin-port", adminPort);
    if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("--drain-timeout must be in 0s..10m, got " + drainTimeout);
    }
    if (raftPort == apiPort || adminPort == raftPort || adminPort == apiPort) {
      throw new IllegalArgumentException("--raft-port, --api-port and --admin-port must differ, got " + raftPort + ", "
          + apiPort + ", " + adminPort);
    }
    if (bootstrap != null && !join.isEmpty()) {
      throw new IllegalArgumentException("use either --bootstrap (first node) or --join (other nodes), not both");
    }
    for (String endpoint : join) {
      if (!endpoint.matches("[^\\s:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("--join takes host:port of a node's API, got '" + endpoint + "'");
      }
    }
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
    }
  }

  /** This node as the cluster map records it. */
  public NodeInfo self() {
    return NodeInfo.newBuilder().setId(nodeId.value()).setHost(advertiseHost).setRaftPort(raftPort).setApiPort(apiPort)
        .setAdminPort(adminPort).build();
  }

  public NodeConfig withAdminPort(int port) {
    return new NodeConfig(nodeId, clusterId, bindHost, advertiseHost, raftPort, apiPort, dataDir, bootstrap, join, raft,
        limits, sessions, port, drainTimeout);
  }

  public String apiEndpoint() {
    return advertiseHost + ":" + apiPort;
  }
}
