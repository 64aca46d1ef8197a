package ringkv.server;

import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.meta.MetaStateMachine;
import ringkv.raft.shard.KvStateMachine;
import ringkv.server.config.NodeConfig;
import ringkv.server.admin.AdminHttpServer;
import ringkv.server.admin.GroupMetrics;
import ringkv.server.admin.RatisMetricsBridge;
import ringkv.server.admin.Readiness;
import ringkv.server.grpc.AdminGrpcService;
import ringkv.server.grpc.DrainGate;
import ringkv.server.grpc.NodeDrainer;
import ringkv.server.grpc.LeadershipService;
import ringkv.server.grpc.SnapshotService;
import ringkv.server.grpc.ApiServer;
import ringkv.server.grpc.KvGrpcService;
import ringkv.server.grpc.NodeStatusCollector;
import ringkv.server.groups.ClusterController;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.MetaClient;
import ringkv.server.routing.ClusterMapView;
import ringkv.server.routing.CommandSubmitter;
import ringkv.server.routing.ShardResolver;

/**
 * One RingKV node, embeddable: a Ratis server hosting this node's replicas (the meta group's and
 * the shards' the cluster map places here), the gRPC API, and the controller that keeps the
 * hosted groups in step with the map.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} checks the data directory and ports
 * (failing with a one-line {@link NodeStartException}), starts Raft, obtains the cluster map
 * (bootstrap, join, or the saved copy), then serves; {@link #close()} stops the API first (no new
 * requests), then the controller and clients, then Raft. Idempotent.
 */
public final class KvNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvNode.class);

  private final NodeConfig config;
  private final Clock clock;
  private final NodeMetrics metrics = new NodeMetrics();
  private AdminHttpServer adminServer;
  private final HealthStatusManager health = new HealthStatusManager();
  private HostedGroups groups;
  private RaftServer raftServer;
  private MetaClient meta;
  private CommandSubmitter submitter;
  private ClusterController controller;
  private NodeStatusCollector statusCollector;
  private ReplicaWriteLimits replicaLimits;
  private ApiServer apiServer;
  private NodeDrainer drainer;
  private ScheduledExecutorService background;
  /** /readyz wants every replica here within this many entries of its group's commit index. */
  static final long READY_MAX_LAG_ENTRIES = 1_000;

  private final DiskSpaceGuard diskGuard;
  private final DataMemoryGuard memoryGuard;
  private boolean started;
  private volatile boolean serving;
  private boolean closed;

  public KvNode(NodeConfig config) {
    this(config, Clock.systemUTC());
  }

  public KvNode(NodeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.diskGuard = new DiskSpaceGuard(config.dataDir(), config.limits().minFreeDiskBytes());
    this.memoryGuard = new DataMemoryGuard(config.limits().maxDataMemoryBytes(), this::dataBytesHeld);
    metrics.dataMemory(memoryGuard);
  }

  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("node " + config.nodeId() + " was already started");
    }
    started = true;
    checkDataDir(config.dataDir());
    checkPortFree("Raft", config.bindHost(), config.raftPort());
    checkPortFree("API", config.bindHost(), config.apiPort());
    health.setStatus("", ServingStatus.NOT_SERVING);
    try {
      groups = new HostedGroups(config.clusterId(), config.nodeId(), ClusterMapView.load(config.dataDir()));
      statusCollector = new NodeStatusCollector();
      replicaLimits = new ReplicaWriteLimits(groups, statusCollector);
      startRaft();
      meta = new MetaClient(groups, config.raft());
      new ClusterMembership(config, groups, meta).establish();
      background = Executors.newScheduledThreadPool(2, r -> daemon(r, "ringkv-node-" + config.nodeId()));
      controller = new ClusterController(groups, config.self(), meta, config.raft(), background, metrics.registry());
      submitter = new CommandSubmitter(groups, config.raft(), clock, diskGuard, memoryGuard, metrics);
      DrainGate drainGate = new DrainGate(config.nodeId().value(), this::epoch);
      LeadershipService leadership = new LeadershipService(groups, config.raft());
      drainer = new NodeDrainer(groups, leadership, drainGate);
      KvGrpcService kv = new KvGrpcService(config.limits(), new ShardResolver(groups.view()), submitter, groups, metrics,
          background);
      apiServer = new ApiServer(config.bindHost(), config.apiPort(), config.limits().maxMessageBytes(),
          RaftTuning.eventLoopThreads(), health,
          metrics.grpcInterceptor(),
          // only KV calls are gated: a draining node still answers Admin calls (the drain's own, kvctl's)
          () -> ServerInterceptors.intercept(kv, drainGate),
          new AdminGrpcService(groups, meta, controller, statusCollector, new SnapshotService(groups, submitter, config.raft()),
              leadership, drainer, () -> ReplicaWriteLimits.ownLimitsReached(diskGuard, memoryGuard)));
      apiServer.start();
      startAdminHttp();
      controller.start();
      background.scheduleWithFixedDelay(this::updateHealth, 0, 250, TimeUnit.MILLISECONDS);
      background.scheduleWithFixedDelay(replicaLimits::poll, 0, ReplicaWriteLimits.POLL_INTERVAL_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (NodeStartException e) {
      close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new NodeStartException("interrupted while starting", e);
    } catch (Exception e) {
      close();
      throw new NodeStartException("cannot start node " + config.nodeId() + ": " + rootMessage(e), e);
    }
    serving = true;
    LOG.info("node started node={} raft={}:{} api={} data={}", config.nodeId(), config.advertiseHost(), config.raftPort(),
        config.apiEndpoint(), config.dataDir());
  }

  private void startRaft() {
    // Ratis calls System.exit when a port cannot be bound; an embedded node must throw instead.
    ExitUtils.disableSystemExit();
    RaftProperties properties = config.raft().toServerProperties(config.dataDir().resolve("raft").toFile(), config.bindHost(), config.raftPort());
    try {
      raftServer = RaftServer.newBuilder()
          .setServerId(RaftPeerId.valueOf(config.nodeId().value()))
          .setProperties(properties)
          .setParameters(new Parameters())
          .setStateMachineRegistry(groupId -> groupId.equals(groups.metaGroupId())
              ? new MetaStateMachine()
              : new KvStateMachine(partitionCount(), config.sessions(),
                  diskGuard.and(memoryGuard).and(replicaLimits.gateFor(groupId))))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      groups.attach(raftServer);
      raftServer.start();
    } catch (IOException | RuntimeException e) {
      throw new NodeStartException("cannot start Raft on port " + config.raftPort() + ": " + rootMessage(e), e);
    }
  }

  /** /metrics, /healthz, /readyz on the admin port; per-group gauges follow the hosted groups. */
  private void startAdminHttp() {
    GroupMetrics groupMetrics = new GroupMetrics(metrics.registry(), groups);
    RatisMetricsBridge ratisMetrics = new RatisMetricsBridge(metrics.registry(), () -> {
      ClusterMapView.Snapshot map = groups.view().current();
      return map == null ? java.util.Set.of()
          : map.map().getNodesList().stream().map(ringkv.api.v1.NodeInfo::getId).collect(java.util.stream.Collectors.toSet());
    });
    background.scheduleWithFixedDelay(() -> {
      groupMetrics.registerNewGroups();
      ratisMetrics.bridgeNew();
    }, 0, 1, TimeUnit.SECONDS);
    Readiness readiness = new Readiness(groups, READY_MAX_LAG_ENTRIES, () -> serving, drainer::isDraining);
    adminServer = new AdminHttpServer(config.bindHost(), config.adminPort())
        .route("/metrics", exchange -> new AdminHttpServer.Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()))
        .route("/healthz", exchange -> AdminHttpServer.Response.text(200, "ok\n"))
        .route("/readyz", exchange -> {
          Readiness.Report report = readiness.check();
          return AdminHttpServer.Response.json(report.ready() ? 200 : 503, report.json() + "\n");
        });
    new ringkv.server.admin.dashboard.DashboardRoutes(groups, metrics.registry()).register(adminServer);
    adminServer.start();
  }

  /** P of the cluster: from the map once known, else from the bootstrap settings. */
  private int partitionCount() {
    ClusterMapView.Snapshot map = groups.view().current();
    if (map != null && map.map().getPartitionCount() > 0) {
      return map.map().getPartitionCount();
    }
    if (config.bootstrap() != null) {
      return config.bootstrap().partitions();
    }
    throw new IllegalStateException("a shard replica was created before this node knew the cluster's partition count");
  }

  /** SERVING once every shard the map places here has a known leader, until a drain starts. */
  private void updateHealth() {
    ClusterMapView.Snapshot map = groups.view().current();
    boolean ready = !drainer.isDraining() && map != null && map.isPlaced() && map.shards().stream()
        .filter(s -> map.replicasOf(s).contains(config.nodeId()))
        .allMatch(s -> groups.shardDivision(s).isPresent() && groups.leaderOf(s).isPresent());
    ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus("", status);
    health.setStatus("ringkv.v1.KV", status);
  }

  /**
   * Drains this node (see the Admin API's {@code DrainNode}): moves its leaderships away, refuses
   * new KV requests, waits for those in flight, all within {@code timeout}. Idempotent.
   */
  public DrainNodeResponse drain(Duration timeout) {
    NodeDrainer running;
    synchronized (this) {
      if (!serving || closed) {
        throw new IllegalStateException("node " + config.nodeId() + " is not serving; nothing to drain");
      }
      running = drainer;
    }
    return running.drain(timeout);
  }

  private long epoch() {
    ClusterMapView.Snapshot map = groups.view().current();
    return map == null ? 0 : map.epoch();
  }

  public NodeConfig config() {
    return config;
  }

  public HostedGroups groups() {
    return groups;
  }

  public DiskSpaceGuard diskGuard() {
    return diskGuard;
  }

  /** The data of all this node's shard replicas, as {@link DataMemoryGuard} counts it. */
  private long dataBytesHeld() {
    HostedGroups hosted = groups;
    return hosted == null ? 0 : hosted.localShardStateMachines().stream()
        .mapToLong(m -> DataMemoryGuard.bytesHeld(m.keyCount(), m.dataBytes())).sum();
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (adminServer != null) {
      adminServer.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
    if (background != null) {
      background.shutdownNow();
    }
    if (replicaLimits != null) {
      replicaLimits.close();
    }
    if (statusCollector != null) {
      statusCollector.close();
    }
    if (submitter != null) {
      submitter.close();
    }
    if (meta != null) {
      meta.close();
    }
    if (raftServer != null) {
      try {
        raftServer.close();
      } catch (IOException e) {
        LOG.warn("closing raft server failed node={}", config.nodeId(), e);
      }
    }
    metrics.close();
    if (serving) {
      LOG.info("node stopped node={}", config.nodeId());
    }
  }
  private static void checkDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (AccessDeniedException e) {
      throw new NodeStartException("data dir " + dir + " is not writable (permission denied)", e);
    } catch (IOException e) {
      throw new NodeStartException("data dir " + dir + " is not usable: " + rootMessage(e), e);
    }
  }

  private static void checkPortFree(String what, String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (BindException e) {
      throw new NodeStartException(what + " port " + port + " on " + host + " is already in use", e);
    } catch (IOException e) {
      throw new NodeStartException("cannot bind " + what + " port " + port + " on " + host + ": " + e.getMessage(), e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
