package ringkv.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.KvStateMachine;
import ringkv.raft.shard.SessionConfig;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.KvNode;
import ringkv.server.config.NodeConfig;
import ringkv.server.config.BootstrapSettings;
import ringkv.server.config.RequestLimits;

/**
 * N {@link KvNode}s in one JVM on free loopback ports and temporary directories, for cluster
 * tests. Nodes can be killed (closed, as after a crash: no leadership hand-over) and restarted
 * on the same ports and data. {@link #close()} stops every node and deletes the data.
 *
 * <p>Node 0 bootstraps the cluster; the others join through it, as real nodes do.
 *
 * <p>Election timeouts default to 1 s/2 s: test machines share 2 cores between several JVMs,
 * and shorter timeouts cause leader churn there (guides/ratis.md section 7).
 */
public final class MiniCluster implements AutoCloseable {
  public static final ShardId FIRST_SHARD = ShardId.of(0);
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  private final Path baseDir;
  private final List<NodeConfig> configs;
  private final KvNode[] nodes;
  private final List<KvClient> clients = new ArrayList<>();

  private MiniCluster(Path baseDir, List<NodeConfig> configs) {
    this.baseDir = baseDir;
    this.configs = List.copyOf(configs);
    this.nodes = new KvNode[configs.size()];
  }

  /** Starts {@code nodeCount} nodes holding one shard (replicated up to 3 times) and waits for its leader. */
  public static MiniCluster start(int nodeCount) {
    return builder().nodes(nodeCount).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Shape and settings of a mini cluster; {@link #start()} bootstraps node 0 and joins the others. */
  public static final class Builder {
    private int nodes = 3;
    private int shards = 1;
    private int replication = -1;
    private int partitions = 64;
    private RaftTuning tuning = RaftTuning.DEFAULTS;
    // a small disk reserve: test machines may have little free space
    private RequestLimits limits = RequestLimits.DEFAULTS.withMinFreeDiskBytes(16L << 20);
    private final Map<Integer, RequestLimits> nodeLimits = new HashMap<>();
    private Path dataRoot;

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder shards(int shards) {
      this.shards = shards;
      return this;
    }

    public Builder replication(int replication) {
      this.replication = replication;
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder tuning(RaftTuning tuning) {
      this.tuning = tuning;
      return this;
    }

    public Builder limits(RequestLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Limits for node {@code node} (0-based) only, instead of {@link #limits(RequestLimits)}. */
    public Builder limits(int node, RequestLimits limits) {
      nodeLimits.put(node, limits);
      return this;
    }

    /** Where the nodes' data dirs go (default: a new temp dir); removed on close. */
    public Builder dataRoot(Path dataRoot) {
      this.dataRoot = dataRoot;
      return this;
    }

    public MiniCluster start() {
      int r = replication > 0 ? replication : Math.min(3, nodes % 2 == 0 ? nodes - 1 : nodes);
      Path base;
      try {
        base = dataRoot != null ? Files.createDirectories(dataRoot) : Files.createTempDirectory("minicluster");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<NodeConfig> configs = new ArrayList<>();
      String seed = null;
      for (int i = 0; i < nodes; i++) {
        NodeId id = NodeId.of("n" + (i + 1));
        int raftPort = freePort();
        int apiPort = freePort();
        BootstrapSettings bootstrap = i == 0 ? new BootstrapSettings(shards, r, partitions) : null;
        configs.add(new NodeConfig(id, "mini", "127.0.0.1", "127.0.0.1", raftPort, apiPort, base.resolve(id.value()),
            bootstrap, i == 0 ? List.of() : List.of(seed), tuning, nodeLimits.getOrDefault(i, limits), SessionConfig.DEFAULTS,
            freePort()));
        if (i == 0) {
          seed = "127.0.0.1:" + apiPort;
        }
      }
      MiniCluster cluster = new MiniCluster(base, configs);
      try {
        // Joining nodes block until the first node serves, so each starts on its own thread (a
        // parallel stream has only as many threads as cores, and would wait on itself).
        cluster.startAllAtOnce();
        for (int s = 0; s < shards; s++) {
          cluster.awaitLeader(ShardId.of(s));
        }
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }
  }

  private void startAllAtOnce() {
    ExecutorService starters = Executors.newFixedThreadPool(nodes.length);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < nodes.length; i++) {
        int node = i;
        started.add(starters.submit(() -> startNode(node)));
      }
      for (Future<?> f : started) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting nodes", e);
    } finally {
      starters.shutdownNow();
    }
  }

  private void startNode(int i) {
    KvNode node = new KvNode(configs.get(i));
    node.start();
    nodes[i] = node;
  }

  public int size() {
    return nodes.length;
  }

  public KvNode node(int i) {
    KvNode node = nodes[i];
    if (node == null) {
      throw new IllegalStateException("node " + i + " is not running");
    }
    return node;
  }

  public boolean isRunning(int i) {
    return nodes[i] != null;
  }

  public NodeConfig config(int i) {
    return configs.get(i);
  }

  /** Stops node {@code i} abruptly from the cluster's point of view (no leader hand-over). */
  public void kill(int i) {
    KvNode node = nodes[i];
    nodes[i] = null;
    if (node != null) {
      node.close();
    }
  }

  /** Starts node {@code i} again on its ports and data. */
  public void restart(int i) {
    if (nodes[i] != null) {
      throw new IllegalStateException("node " + i + " is running");
    }
    startNode(i);
  }

  public String apiEndpoint(int i) {
    return configs.get(i).apiEndpoint();
  }

  /** Base URL of node {@code i}'s admin HTTP port (/metrics, /healthz, /readyz, dashboard). */
  public String adminUrl(int i) {
    return "http://127.0.0.1:" + configs.get(i).adminPort();
  }

  public List<String> apiEndpoints() {
    return configs.stream().map(NodeConfig::apiEndpoint).toList();
  }

  /** A client of every node's endpoint; closed with the cluster. */
  public KvClient newClient() {
    return newClient(apiEndpoints());
  }

  public KvClient newClient(List<String> endpoints) {
    KvClient client = KvClient.connect(KvClientConfig.builder().endpoints(endpoints)
        .callTimeout(Duration.ofSeconds(30)).build());
    clients.add(client);
    return client;
  }

  /** Waits until a running node leads the shard (and hosts it), and returns its index. */
  public int awaitLeader(ShardId shard) {
    int[] leader = {-1};
    await("a leader of " + shard, DEFAULT_WAIT, () -> {
      leader[0] = leaderIndex(shard).orElse(-1);
      return leader[0] >= 0;
    });
    return leader[0];
  }

  public Optional<Integer> leaderIndex(ShardId shard) {
    return IntStream.range(0, nodes.length)
        .filter(i -> nodes[i] != null && nodes[i].groups().isLocalLeader(shard))
        .boxed()
        .findFirst();
  }

  public KvStateMachine stateMachine(int i, ShardId shard) {
    return node(i).groups().localStateMachine(shard)
        .orElseThrow(() -> new IllegalStateException("node " + i + " hosts no replica of " + shard));
  }

  /** Indexes of the running nodes that host a replica of {@code shard}. */
  public List<Integer> replicaNodes(ShardId shard) {
    return IntStream.range(0, nodes.length).filter(i -> nodes[i] != null && nodes[i].groups().localStateMachine(shard).isPresent())
        .boxed().toList();
  }

  /** Waits until every running replica of the shard applied the same index and holds the same data. */
  public void awaitReplicasConverged(ShardId shard) {
    await("replicas of " + shard + " to converge", DEFAULT_WAIT, () -> {
      List<KvStateMachine> machines = replicaNodes(shard).stream().map(i -> stateMachine(i, shard)).toList();
      if (machines.isEmpty()) {
        return false;
      }
      long applied = machines.get(0).appliedIndex();
      long digest = machines.get(0).stateDigest();
      // a leader's first entry (index 0) is committed right after its election
      return applied >= 0 && machines.stream().allMatch(m -> m.appliedIndex() == applied && m.stateDigest() == digest);
    });
  }

  /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  @Override
  public void close() {
    clients.forEach(KvClient::close);
    IntStream.range(0, nodes.length).parallel().forEach(this::kill);
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir left behind is not worth failing a test
    }
  }

  /** A port free on loopback right now (small race with other processes; fine for tests). */
  public static int freePort() {
    // never the same port twice in this JVM (two nodes' or one node's raft/api/admin ports), and
    // below the ephemeral range so an outgoing connection cannot hold it while a node restarts
    synchronized (HANDED_OUT) {
      return LoopbackPorts.pick(HANDED_OUT);
    }
  }
}
