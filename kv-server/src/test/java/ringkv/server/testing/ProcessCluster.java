package ringkv.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * N real {@code kv-server} JVMs on loopback, for tests that need what an in-JVM
 * {@link MiniCluster} cannot give: a {@code kill -9} (no shutdown hook, no close, buffers in the
 * process lost), separate heaps, and the real {@code main()}. What the process had handed to the
 * operating system survives such a kill: it is a process crash, not a power cut.
 *
 * <p>Each node gets its own ports (Raft, API, admin HTTP) and a data directory and log file under
 * {@code root}; node 0 bootstraps ({@code --bootstrap --shards --replication --partitions}), the
 * others {@code --join} through it, all started at once. {@link #restartNode} starts a node again on the
 * same ports and data without {@code --bootstrap}/{@code --join}: it rejoins with its saved map.
 * {@link #close()} kills every process it started, and a JVM shutdown hook does the same if the
 * test JVM exits first. Data and logs stay under {@code root}, which the caller owns (use
 * {@code @TempDir(cleanup = CleanupMode.ON_SUCCESS)} to keep them after a failure).
 *
 * <p>Only JDK, gRPC, {@code kv-api} and {@code kv-client} types are used and the server is started
 * by class name, so a module that may not depend on {@code kv-server}'s code (chaos) can run this
 * harness with {@link Builder#classpath(String)} naming {@code kv-server}'s jar and
 * {@code kv-server/target/lib/*}.
 *
 * <p>Ports are picked below the kernel's ephemeral range: a restarted node must get its ports back,
 * and an outgoing connection of some other process can take an ephemeral port in the meantime.
 */
public final class ProcessCluster implements AutoCloseable {
  public static final String MAIN_CLASS = "ringkv.server.main.KvServerMain";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path root;
  private final List<ServerProcess> nodes;
  private final ClusterProbe probe;
  private final List<KvClient> clients = new ArrayList<>();
  private final Thread killOnExit;
  private boolean closed;

  private ProcessCluster(Path root, int shardCount, int replication, List<ServerProcess> nodes) {
    this.root = root;
    this.nodes = List.copyOf(nodes);
    this.probe = new ClusterProbe(nodes, shardCount, replication);
    this.killOnExit = new Thread(() -> this.nodes.forEach(ServerProcess::sendKill), "process-cluster-kill-on-exit");
  }

  /** The id of the node at {@code index} (0-based): n1, n2, ... */
  public static String nodeId(int index) {
    return "n" + (index + 1);
  }

  /** A cluster whose data and logs go under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Shape, Raft timing and JVM of the cluster; {@link #start()} launches it and waits until ready. */
  public static final class Builder {
    private final Path root;
    private int nodes = 3;
    private int shards = 3;
    private int replication = 3;
    private int partitions = 64;
    private String clusterId = "proc";
    // Several JVMs share two cores on CI: starved heartbeats must not look like a dead leader.
    private Duration electionTimeoutMin = Duration.ofMillis(1500);
    private Duration electionTimeoutMax = Duration.ofMillis(3000);
    private long snapshotEveryEntries;
    private String classpath = System.getProperty("java.class.path");
    private String mainClass = MAIN_CLASS;
    // Small heaps and the serial collector: three servers and the test JVM share the machine.
    private List<String> jvmOptions = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private List<String> extraFlags = List.of();
    private IntFunction<List<String>> nodeJvmOptions = i -> List.of();
    private IntFunction<List<String>> nodeFlags = i -> List.of();
    private Consumer<ProcessCluster> beforeStart = cluster -> { };
    private Duration readyTimeout = Duration.ofSeconds(120);

    private Builder(Path root) {
      this.root = root;
    }

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

    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    public Builder electionTimeout(Duration min, Duration max) {
      this.electionTimeoutMin = min;
      this.electionTimeoutMax = max;
      return this;
    }

    /** Snapshot each shard every {@code entries} log entries (0 = the server's default). */
    public Builder snapshotEveryEntries(long entries) {
      this.snapshotEveryEntries = entries;
      return this;
    }

    /** Classpath of the server JVMs; the test JVM's own by default. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /** More {@code kv-server} flags for every node and every start, e.g. {@code --session-ttl 1m}. */
    public Builder extraFlags(List<String> flags) {
      this.extraFlags = List.copyOf(flags);
      return this;
    }

    /** More JVM options for node {@code i} (0-based) only, after {@link #jvmOptions}, e.g. its own hosts file. */
    public Builder nodeJvmOptions(IntFunction<List<String>> options) {
      this.nodeJvmOptions = options;
      return this;
    }

    /** More {@code kv-server} flags for node {@code i} (0-based) only, every start, e.g. {@code --advertise-host}. */
    public Builder nodeFlags(IntFunction<List<String>> flags) {
      this.nodeFlags = flags;
      return this;
    }

    /**
     * Runs once the nodes' ports are chosen and before any node starts: to set up what the nodes
     * will need to reach each other (the chaos harness puts a proxy on every link there).
     */
    public Builder beforeStart(Consumer<ProcessCluster> hook) {
      this.beforeStart = hook;
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = readyTimeout;
      return this;
    }

    /** Starts every node at once and waits until each shard has a leader; kills them all on failure. */
    public ProcessCluster start() {
      if (nodes < replication) {
        throw new IllegalArgumentException("replication " + replication + " needs at least as many nodes, got " + nodes);
      }
      Set<Integer> taken = new HashSet<>();
      List<ServerProcess> servers = new ArrayList<>();
      String joinThrough = null;
      for (int i = 0; i < nodes; i++) {
        String id = nodeId(i);
        int raftPort = LoopbackPorts.pick(taken);
        int apiPort = LoopbackPorts.pick(taken);
        int adminPort = LoopbackPorts.pick(taken);
        Path dataDir = root.resolve(id);
        List<String> identity = new ArrayList<>(List.of(
            "--node-id", id, "--cluster-id", clusterId, "--bind-host", "127.0.0.1",
            "--raft-port", String.valueOf(raftPort), "--api-port", String.valueOf(apiPort),
            "--admin-port", String.valueOf(adminPort), "--data-dir", dataDir.toString(),
            "--election-timeout-min", electionTimeoutMin.toMillis() + "ms",
            "--election-timeout-max", electionTimeoutMax.toMillis() + "ms"));
        if (snapshotEveryEntries > 0) {
          identity.addAll(List.of("--snapshot-every-entries", String.valueOf(snapshotEveryEntries)));
        }
        identity.addAll(extraFlags);
        identity.addAll(nodeFlags.apply(i));
        List<String> java = new ArrayList<>();
        java.add(javaExecutable());
        java.addAll(jvmOptions);
        java.addAll(nodeJvmOptions.apply(i));
        java.addAll(List.of("-cp", classpath, mainClass));
        List<String> first = i == 0
            ? List.of("--bootstrap", "--shards", String.valueOf(shards), "--replication", String.valueOf(replication),
                "--partitions", String.valueOf(partitions))
            : List.of("--join", joinThrough);
        if (i == 0) {
          joinThrough = "127.0.0.1:" + apiPort;
        }
        servers.add(new ServerProcess(i, id, raftPort, apiPort, adminPort, dataDir, root.resolve(id + ".log"), java, identity, first));
      }
      ProcessCluster cluster = new ProcessCluster(root, shards, replication, servers);
      Runtime.getRuntime().addShutdownHook(cluster.killOnExit);
      try {
        beforeStart.accept(cluster);
        // Joining nodes retry until the first node serves, so all start at once.
        servers.forEach(ServerProcess::start);
        cluster.awaitReady(readyTimeout);
      } catch (RuntimeException | Error e) {
        cluster.close();
        cluster.attachLogs(e);
        throw e;
      }
      return cluster;
    }
  }

  public int size() {
    return nodes.size();
  }

  public ServerProcess node(int i) {
    return nodes.get(i);
  }

  public Path root() {
    return root;
  }

  public String apiEndpoint(int i) {
    return nodes.get(i).apiEndpoint();
  }

  public List<String> apiEndpoints() {
    return nodes.stream().map(ServerProcess::apiEndpoint).toList();
  }

  /** Base URL of node {@code i}'s admin HTTP server (/metrics, /healthz, /readyz). */
  public String adminUrl(int i) {
    return nodes.get(i).adminUrl();
  }

  /** What node {@code i}'s {@code /readyz} answered: status code and body. */
  public record Readyz(int status, String body) {}

  /** Asks node {@code i}'s {@code /readyz} (200 ready, 503 not, with the reasons in the body). */
  public Readyz readyz(int i) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl(i) + "/readyz"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return new Readyz(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Readyz(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted asking " + adminUrl(i) + "/readyz", e);
    }
  }

  /** Waits until node {@code i}'s {@code /readyz} answers 200: it serves and has caught up. */
  public void awaitNodeReady(int i, Duration timeout) {
    await(() -> nodeId(i) + " /readyz to answer 200 (" + readyz(i) + ")", timeout, () -> readyz(i).status() == 200);
  }

  /** Kills node {@code i} with SIGKILL ({@code kill -9}) and waits until its process is gone. */
  public void killNode(int i) {
    probe.forget(i);
    nodes.get(i).kill();
  }

  /**
   * Sends SIGKILL to every running node before waiting for any of them, so that all die within
   * microseconds of each other, then waits until every process is gone.
   */
  public void killAll() {
    boolean[] signalled = new boolean[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      signalled[i] = nodes.get(i).sendKill();
    }
    for (int i = 0; i < nodes.size(); i++) {
      probe.forget(i);
      if (nodes.get(i).isExpectedRunning()) {
        nodes.get(i).awaitKilled(signalled[i]);
      }
    }
  }

  /**
   * Freezes node {@code i} with SIGSTOP: the process keeps its sockets but answers nothing, as a
   * node in a long GC pause or a stalled VM would. {@link #resumeNode} sends SIGCONT.
   */
  public void pauseNode(int i) {
    nodes.get(i).signal("STOP");
  }

  /** Lets a node frozen by {@link #pauseNode} run again (SIGCONT). */
  public void resumeNode(int i) {
    nodes.get(i).signal("CONT");
  }

  /**
   * Stops node {@code i} gracefully with SIGTERM (kv-server drains, then closes) and waits up to
   * {@code timeout} for the process to exit.
   */
  public void stopNode(int i, Duration timeout) {
    probe.forget(i);
    nodes.get(i).terminate(timeout);
  }

  /**
   * Starts node {@code i} again on its ports and data, from another build: {@code classpath}
   * replaces the cluster's for this and every later start of the node (a rolling upgrade).
   */
  public void restartNode(int i, String classpath) {
    nodes.get(i).useClasspath(classpath);
    nodes.get(i).start();
  }

  /** Starts node {@code i} again on its ports and data (no bootstrap, no join); see {@link #awaitReady()}. */
  public void restartNode(int i) {
    nodes.get(i).start();
  }

  /** Starts every stopped node again, all at once; see {@link #awaitReady()}. */
  public void restartAll() {
    nodes.stream().filter(n -> !n.isExpectedRunning()).forEach(ServerProcess::start);
  }

  /** {@link #awaitReady(Duration)} with two minutes. */
  public void awaitReady() {
    awaitReady(Duration.ofMinutes(2));
  }

  /**
   * Waits until the cluster serves: every node answers, the map lists every node and places every
   * shard, each shard has a leader among the running nodes that its running replicas all
   * recognise, and the meta group has a leader. Fails at once, with the log, if a node exits.
   */
  public void awaitReady(Duration timeout) {
    await(() -> "the cluster to be ready (" + probe.notReadyBecause() + ")", timeout, probe::isReady);
  }

  /**
   * Waits until, for every shard, all running replicas applied the same index and it is at least
   * every replica's commit index: after writes stop, a restarted replica has caught up.
   */
  public void awaitReplicasCaughtUp(Duration timeout) {
    await(() -> "replicas to catch up (" + probe.notReadyBecause() + ")", timeout, probe::isCaughtUp);
  }

  /**
   * Waits until, for every shard, all running replicas report the same revision and the same
   * digest of their whole state: after the writes stop, the replicas converged.
   */
  public void awaitConverged(Duration timeout) {
    await(() -> "replicas to converge (" + probe.notReadyBecause() + ")", timeout, probe::isConverged);
  }

  /** The index of the running node that leads {@code shard}, as the nodes report it now. */
  public OptionalInt leaderOf(int shard) {
    return probe.leaderOf("shard-" + shard);
  }

  /** The index of the running node that leads the meta group. */
  public OptionalInt metaLeader() {
    return probe.leaderOf("meta");
  }

  /** Node {@code i}'s own view of its replicas. */
  public GetNodeStatusResponse nodeStatus(int i) {
    return probe.nodeStatus(i);
  }

  /** A client builder for every node's endpoint, with a 30 s call deadline. */
  public KvClientConfig.Builder clientConfig() {
    return KvClientConfig.builder().endpoints(apiEndpoints()).callTimeout(Duration.ofSeconds(30));
  }

  /** A client of every node; closed with the cluster. */
  public KvClient newClient() {
    return newClient(clientConfig().build());
  }

  /** A client with these settings; closed with the cluster. */
  public KvClient newClient(KvClientConfig config) {
    KvClient client = KvClient.connect(config);
    clients.add(client);
    return client;
  }

  /** Each node's state, ports and log file, and the last lines of each log: for failure messages. */
  public String describe(int tailLines) {
    StringBuilder text = new StringBuilder("process cluster under ").append(root).append('\n');
    for (ServerProcess node : nodes) {
      text.append("  ").append(node).append('\n');
    }
    if (tailLines > 0) {
      for (ServerProcess node : nodes) {
        text.append("---- last lines of ").append(node.logFile()).append('\n').append(node.tail(tailLines)).append('\n');
      }
    }
    return text.toString();
  }

  /**
   * Adds each node's state and last log lines to {@code failure}, as a suppressed exception so
   * that its message stays as it was: {@code catch (Throwable t) { cluster.attachLogs(t); throw t; }}.
   */
  public void attachLogs(Throwable failure) {
    failure.addSuppressed(new ServerLogs(describe(40)));
  }

  /** The servers' side of a failed test. */
  private static final class ServerLogs extends Exception {
    ServerLogs(String text) {
      super(text, null, false, false);
    }
  }

  /** Kills every process this cluster started and closes its clients. Idempotent; data stays. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    clients.forEach(KvClient::close);
    probe.close();
    nodes.forEach(ServerProcess::sendKill);
    for (ServerProcess node : nodes) {
      try {
        node.awaitKilled(true);
      } catch (AssertionError e) {
        // a node that had exited on its own was reported by the test's own checks
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and runs the hook anyway
    }
    System.out.println("process cluster logs: " + nodes.stream().map(n -> n.logFile().toString())
        .collect(Collectors.joining(" ")));
  }

  /**
   * Polls {@code condition} every 200 ms. Prints, when it holds, how long it took and each reason
   * it did not hold yet, from when ({@code what} is read after each failed poll): a slow start
   * on a busy machine then shows where the time went.
   */
  private static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    StringBuilder history = new StringBuilder();
    String last = null;
    while (!condition.getAsBoolean()) {
      String now = what.get();
      if (!now.equals(last)) {
        history.append(String.format("%n  +%.1fs %s", (System.nanoTime() - start) / 1e9, now));
        last = now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + now + "; history:" + history);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + now, e);
      }
    }
    System.out.printf("process cluster: done after %.1fs waiting%s%n", (System.nanoTime() - start) / 1e9,
        history.length() == 0 ? "" : " for:" + history);
  }

  private static String javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return Files.isExecutable(java) ? java.toString() : ProcessHandle.current().info().command().orElse("java");
  }
}
