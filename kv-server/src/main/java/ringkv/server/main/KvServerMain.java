package ringkv.server.main;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ringkv.server.KvNode;
import ringkv.server.NodeStartException;
import ringkv.server.config.ConfigLoader;
import ringkv.server.config.NodeConfig;

/**
 * {@code kv-server}: runs one node until it is stopped (SIGTERM/SIGINT close it cleanly).
 * Failures to start print one line, {@code kv-server: error: <reason>}, and exit with status 2.
 */
@Command(name = "kv-server", mixinStandardHelpOptions = true, version = "RingKV 0.1.0",
    description = "Runs one RingKV node. Settings: --config file < RINGKV_* environment < flags.")
public final class KvServerMain implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file with settings (keys as the flags, without --).")
  Path configFile;

  @Option(names = "--node-id", description = "This node's id, e.g. n1 (default n1).")
  String nodeId;

  @Option(names = "--cluster-id", description = "Cluster name; Raft group ids derive from it (default ringkv).")
  String clusterId;

  @Option(names = "--bind-host", description = "Address to listen on (default 127.0.0.1).")
  String bindHost;

  @Option(names = "--advertise-host", description = "Address other nodes and clients use for this node (default: --bind-host).")
  String advertiseHost;

  @Option(names = "--raft-port", description = "Raft port for all groups of this node (default 7001).")
  String raftPort;

  @Option(names = "--api-port", description = "gRPC API port (default 8001).")
  String apiPort;

  @Option(names = "--admin-port", description = "HTTP port for /metrics, /healthz, /readyz and the dashboard (default: --api-port + 1000).")
  String adminPort;

  @Option(names = "--data-dir", description = "Raft logs, snapshots, the cached cluster map (default data/<node-id>).")
  String dataDir;

  @Option(names = "--bootstrap", description = "Create a new cluster with this node as its first member.")
  boolean bootstrap;

  @Option(names = "--shards", description = "With --bootstrap: number of shards (default 3).")
  String shards;

  @Option(names = "--replication", description = "With --bootstrap: replicas per shard, odd (default 3).")
  String replication;

  @Option(names = "--partitions", description = "With --bootstrap: partitions, fixed for the cluster's life (default 1024).")
  String partitions;

  @Option(names = "--join", description = "Join an existing cluster through these nodes' API endpoints: host:port,...")
  String join;

  @Option(names = "--election-timeout-min", description = "Raft election timeout lower bound (default 1s).")
  String electionTimeoutMin;

  @Option(names = "--election-timeout-max", description = "Raft election timeout upper bound (default 2s).")
  String electionTimeoutMax;

  @Option(names = "--snapshot-every-entries", description = "Snapshot a shard every N log entries (default 100000).")
  String snapshotEveryEntries;

  @Option(names = "--entries-in-flight",
      description = "Log entries of one shard this node replicates at once; later writes share the next entry (default 1).")
  String entriesInFlight;

  @Option(names = "--max-key-bytes", description = "Largest key accepted (default 8192).")
  String maxKeyBytes;

  @Option(names = "--max-value-bytes", description = "Largest value accepted (default 1048576).")
  String maxValueBytes;

  @Option(names = "--min-free-disk", description = "Refuse writes while the data dir's disk has less free space (default 256MiB).")
  String minFreeDisk;

  @Option(names = "--max-data-memory", description = "Refuse writes that add data while this node holds this much "
      + "data in its heap: a size (2GiB) or a share of the maximum heap (default 60%).")
  String maxDataMemory;

  @Option(names = "--session-ttl", description = "Exactly-once session lifetime without writes (default 10m).")
  String sessionTtl;

  @Option(names = "--drain-timeout",
      description = "On SIGTERM, drain (move leaderships away, finish requests) for at most this long, then stop; 0s = no drain (default 30s).")
  String drainTimeout;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * On a 2-core machine the JDK's common pool has one thread, and CompletableFuture's async steps
   * then start a new thread for every task; Ratis 3.3 runs each follower append through one. Two
   * threads at least keep those steps on pooled threads. Must run before anything uses the pool.
   */
  static void sizeCommonPool() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null) {
      System.setProperty(key, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] args) {
    sizeCommonPool();
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new KvServerMain());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("kv-server: error: " + oneLine(e));
      return 2;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      e.getCommandLine().getErr().println("kv-server: error: " + e.getMessage() + " (see kv-server --help)");
      return 2;
    });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    NodeConfig config = ConfigLoader.load(configFile, System.getenv(), flags());
    // one node per process: its id goes on every log line (the "node" field)
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logging) {
      logging.putProperty("node", config.nodeId().value());
    }
    KvNode node = new KvNode(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      drainBeforeStop(node, config.drainTimeout());
      node.close();
      stopped.countDown();
    }, "ringkv-shutdown"));
    node.start();
    stopped.await();
    return 0;
  }

  /**
   * SIGTERM (Kubernetes terminating a pod, systemd stopping the unit) drains first, so that the
   * node's leaderships move before it goes and no client request fails. Bounded: a drain that
   * does not finish in time is logged and the node stops anyway. A node already drained (by
   * {@code kvctl node drain} in a preStop hook) finds nothing left to do.
   */
  static void drainBeforeStop(KvNode node, java.time.Duration timeout) {
    if (timeout.isZero()) {
      return;
    }
    try {
      node.drain(timeout);
    } catch (RuntimeException e) {
      // not started, or already closing: nothing to hand over. Debug only: a node that failed to
      // start has printed its one-line reason, which must stay the last line on stderr
      LoggerFactory.getLogger(KvServerMain.class).debug("no drain before stop: {}", e.getMessage());
    }
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("node-id", nodeId);
    flags.put("cluster-id", clusterId);
    flags.put("bind-host", bindHost);
    flags.put("advertise-host", advertiseHost);
    flags.put("raft-port", raftPort);
    flags.put("api-port", apiPort);
    flags.put("admin-port", adminPort);
    flags.put("data-dir", dataDir);
    flags.put("bootstrap", bootstrap ? "true" : null);
    flags.put("shards", shards);
    flags.put("replication", replication);
    flags.put("partitions", partitions);
    flags.put("join", join);
    flags.put("election-timeout-min", electionTimeoutMin);
    flags.put("election-timeout-max", electionTimeoutMax);
    flags.put("snapshot-every-entries", snapshotEveryEntries);
    flags.put("entries-in-flight", entriesInFlight);
    flags.put("max-key-bytes", maxKeyBytes);
    flags.put("max-value-bytes", maxValueBytes);
    flags.put("min-free-disk", minFreeDisk);
    flags.put("max-data-memory", maxDataMemory);
    flags.put("session-ttl", sessionTtl);
    flags.put("drain-timeout", drainTimeout);
    return flags;
  }

  private static String oneLine(Throwable e) {
    if (e instanceof NodeStartException || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
