package ringkv.chaos.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.client.KvClientConfig;
import ringkv.server.testing.ProcessCluster;
import ringkv.server.testing.ServerProcess;

/**
 * N real {@code kv-server} processes on loopback whose every link, node to node (Raft and API
 * ports) and client to node, runs through its own Toxiproxy proxy (see {@link LinkAddresses}),
 * plus the process faults: kill -9, restart, SIGSTOP/SIGCONT, leader transfer.
 *
 * <p>The proxies live in the Toxiproxy server named by {@code TOXIPROXY_URL} when it is set;
 * otherwise the harness starts its own Toxiproxy-compatible server ({@link ProxyServers}). The
 * harness talks to the nodes' admin API directly (not through the proxies) to watch them, as an
 * operator outside the faulty network would.
 *
 * <p>The JVM that runs this must have been started with {@code -Djdk.net.hosts.file=FILE}:
 * the harness writes its own hosts file there so that its clients reach node {@code nK.chaos}
 * through the client proxies. The chaos module's tests and {@code bin/ringkv-chaos} do.
 */
public final class ChaosCluster implements AutoCloseable {
  /** Set by the JVM's command line; read by the JDK once, at start. */
  public static final String HOSTS_FILE_PROPERTY = "jdk.net.hosts.file";
  /** Where kv-server's jar and libraries are, for the node JVMs. */
  public static final String SERVER_CLASSPATH_PROPERTY = "ringkv.server.classpath";

  private final ProcessCluster processes;
  private final ChaosNetwork network;
  private final ProxyServers.Running proxyServer;

  private ChaosCluster(ProcessCluster processes, ChaosNetwork network, ProxyServers.Running proxyServer) {
    this.processes = processes;
    this.network = network;
    this.proxyServer = proxyServer;
  }

  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Shape and JVMs of the cluster; {@link #start()} sets up the proxies, starts the nodes and waits until ready. */
  public static final class Builder {
    private final Path root;
    private final ProcessCluster.Builder processes;
    private List<String> serverJvmProperties = List.of();
    private String serverClasspath = System.getProperty(SERVER_CLASSPATH_PROPERTY);

    private Builder(Path root) {
      this.root = root;
      // 3 nodes, 2 shards of 3 replicas unless shape() says otherwise
      this.processes = ProcessCluster.builder(root).nodes(3).shards(2).replication(3).partitions(32).clusterId("chaos");
    }

    /** Nodes, shards, replication, partitions, election timeouts: {@code shape(b -> b.nodes(5).shards(3))}. */
    public Builder shape(Consumer<ProcessCluster.Builder> shape) {
      shape.accept(processes);
      return this;
    }

    /** JVM options for every node, e.g. {@code -Dringkv.testing.unsafeLocalReads=true} for the broken build. */
    public Builder serverJvmProperties(List<String> properties) {
      this.serverJvmProperties = List.copyOf(properties);
      return this;
    }

    /** kv-server's jar and its libraries ({@code kv-server/target/lib/*}). */
    public Builder serverClasspath(String classpath) {
      this.serverClasspath = classpath;
      return this;
    }

    public ChaosCluster start() {
      String hostsFile = System.getProperty(HOSTS_FILE_PROPERTY);
      if (hostsFile == null || hostsFile.isBlank()) {
        throw new IllegalStateException("start this JVM with -D" + HOSTS_FILE_PROPERTY + "=<a writable file>: the harness "
            + "writes its hosts file there so that its clients reach the nodes through the proxies (bin/ringkv-chaos does)");
      }
      if (serverClasspath == null || serverClasspath.isBlank()) {
        throw new IllegalStateException("no kv-server class path: set -D" + SERVER_CLASSPATH_PROPERTY
            + "=kv-server/target/kv-server-<version>.jar:kv-server/target/lib/* (build with ./mvnw -DskipTests package)");
      }
      ProxyServers.Running proxyServer = ProxyServers.connectOrStart();
      ChaosNetwork[] network = new ChaosNetwork[1];
      ProcessCluster started;
      try {
        List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(serverJvmProperties);
        started = processes.classpath(serverClasspath).jvmOptions(jvm)
            .nodeJvmOptions(i -> List.of("-D" + HOSTS_FILE_PROPERTY + "=" + nodeHostsFile(root, i + 1)))
            .nodeFlags(i -> List.of("--advertise-host", LinkAddresses.hostName(ProcessCluster.nodeId(i))))
            .beforeStart(cluster -> {
              int n = cluster.size();
              int[] raft = new int[n];
              int[] api = new int[n];
              List<String> nodeIds = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                raft[i] = cluster.node(i).raftPort();
                api[i] = cluster.node(i).apiPort();
                nodeIds.add(cluster.node(i).nodeId());
              }
              network[0] = ChaosNetwork.create(proxyServer.client(), raft, api);
              for (int source = 1; source <= n; source++) {
                LinkAddresses.writeHostsFile(nodeHostsFile(root, source), source, nodeIds);
              }
              LinkAddresses.writeHostsFile(Path.of(hostsFile), LinkAddresses.CLIENTS, nodeIds);
            })
            .start();
      } catch (RuntimeException | Error e) {
        if (network[0] != null) {
          network[0].delete();
        }
        proxyServer.close();
        throw e;
      }
      return new ChaosCluster(started, network[0], proxyServer);
    }

    private static Path nodeHostsFile(Path root, int source) {
      return root.resolve("hosts-n" + source).toAbsolutePath();
    }
  }

  public int size() {
    return processes.size();
  }

  /** The node processes, for kill -9, restart, pause and their logs. Indexes are 0-based; node number = index + 1. */
  public ProcessCluster processes() {
    return processes;
  }

  public ChaosNetwork network() {
    return network;
  }

  public ServerProcess node(int index) {
    return processes.node(index);
  }

  /** Client endpoints through the client proxies ({@code n1.chaos:port}, ...). */
  public List<String> proxiedEndpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      endpoints.add(LinkAddresses.hostName(node(i).nodeId()) + ":" + node(i).apiPort());
    }
    return endpoints;
  }

  /**
   * A client builder that reaches the nodes only through the client proxies. The 3 s deadline is
   * shorter than most faults, so that the history holds failed and unknown outcomes too, and the
   * checker is exercised on them, as in Jepsen's short client timeouts; within it, an attempt that
   * gets no answer for 1 s moves on to another node, as a client tuned for availability would.
   */
  public KvClientConfig.Builder clientConfig() {
    return KvClientConfig.builder().endpoints(proxiedEndpoints()).callTimeout(Duration.ofSeconds(3))
        .attemptTimeout(Duration.ofSeconds(1));
  }

  /** The index of the node leading {@code shard}, as the nodes report it now (direct, not proxied). */
  public OptionalInt leaderOf(int shard) {
    return processes.leaderOf(shard);
  }

  public OptionalInt metaLeader() {
    return processes.metaLeader();
  }

  /**
   * Moves the leadership of a shard ({@code shard >= 0}) or of the meta group ({@code shard < 0})
   * to another replica, asking node {@code askIndex} directly.
   */
  public TransferLeadershipResponse transferLeadership(int askIndex, int shard) {
    TransferLeadershipRequest.Builder request = TransferLeadershipRequest.newBuilder();
    if (shard < 0) {
      request.setMeta(true);
    } else {
      request.setShardId(shard);
    }
    return admin(askIndex, Duration.ofSeconds(30), stub -> stub.transferLeadership(request.build()));
  }

  /** The cluster map as node {@code askIndex} reads it from the meta group (directly, not proxied). */
  public ClusterMap clusterMap(int askIndex) {
    return admin(askIndex, Duration.ofSeconds(10), stub -> stub.getClusterMap(GetClusterMapRequest.getDefaultInstance())).getMap();
  }

  /** Moves a replica of {@code shard} from node {@code from} to node {@code to} (ids), asking node {@code askIndex}. */
  public ClusterMap moveReplica(int askIndex, int shard, String from, String to, boolean wait) {
    MoveReplicaRequest request = MoveReplicaRequest.newBuilder().setShardId(shard).setFromNodeId(from).setToNodeId(to)
        .setWait(wait).build();
    return admin(askIndex, Duration.ofSeconds(90), stub -> stub.moveReplica(request)).getMap();
  }

  /** Admin/AddShard on node {@code askIndex} (replicas on the least loaded nodes); returns the map with the planned moves. */
  public AddShardResponse addShard(int askIndex) {
    return admin(askIndex, Duration.ofSeconds(30), stub -> stub.addShard(AddShardRequest.getDefaultInstance()));
  }

  /** Admin/RemoveShard on node {@code askIndex}; returns the map with the planned moves. */
  public RemoveShardResponse removeShard(int askIndex, int shard) {
    return admin(askIndex, Duration.ofSeconds(30), stub -> stub.removeShard(RemoveShardRequest.newBuilder().setShardId(shard).build()));
  }

  /** Admin/RemoveNode of node {@code nodeId}, asking node {@code askIndex}; returns the map with the planned replica moves. */
  public ClusterMap removeNode(int askIndex, String nodeId) {
    return admin(askIndex, Duration.ofSeconds(30), stub -> stub.removeNode(RemoveNodeRequest.newBuilder().setNodeId(nodeId).build()))
        .getMap();
  }

  /** Admin/RebalanceReplicas, asking node {@code askIndex}; returns how many replica moves it planned. */
  public int rebalanceReplicas(int askIndex) {
    return admin(askIndex, Duration.ofSeconds(30), stub -> stub.rebalanceReplicas(RebalanceReplicasRequest.getDefaultInstance()))
        .getReplicaMoves();
  }

  private <T> T admin(int askIndex, Duration deadline, Function<AdminGrpc.AdminBlockingStub, T> call) {
    ManagedChannel channel = Grpc.newChannelBuilder(node(askIndex).apiEndpoint(), InsecureChannelCredentials.create()).build();
    try {
      return call.apply(AdminGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  /** Waits until every shard and the meta group have a leader all their running replicas follow. */
  public void awaitReady(Duration timeout) {
    processes.awaitReady(timeout);
  }

  /** Waits until every shard's running replicas applied the same commands and hold the same state. */
  public void awaitConverged(Duration timeout) {
    processes.awaitReplicasCaughtUp(timeout);
    processes.awaitConverged(timeout);
  }

  /** Kills every node, deletes the proxies, and stops the proxy server if the harness started it. */
  @Override
  public void close() {
    try {
      processes.close();
    } finally {
      try {
        network.delete();
      } finally {
        proxyServer.close();
      }
    }
  }
}
