package ringkv.server;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.Partitioner;
import ringkv.router.ShardId;
import ringkv.server.config.NodeConfig;
import ringkv.server.config.PeerSpec;
import ringkv.server.grpc.ApiServer;
import ringkv.server.grpc.KvGrpcService;
import ringkv.server.groups.ShardGroups;
import ringkv.server.routing.CommandSubmitter;
import ringkv.server.routing.ShardResolver;

/**
 * One RingKV node, embeddable: a Ratis server hosting this node's replicas, and the gRPC API.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} checks the data directory and ports
 * (failing with a one-line {@link NodeStartException}), starts Raft, then the API; {@link #close()}
 * stops the API first (no new requests), then the forwarding clients, then Raft. Idempotent.
 */
public final class KvNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvNode.class);
  /** The walking skeleton's single shard; the cluster map replaces this with many. */
  static final ShardId FIRST_SHARD = ShardId.of(0);

  private final NodeConfig config;
  private final Clock clock;
  private final ShardGroups groups;
  private final HealthStatusManager health = new HealthStatusManager();
  private RaftServer raftServer;
  private CommandSubmitter submitter;
  private ApiServer apiServer;
  private ScheduledExecutorService healthTicker;
  private boolean started;
  private boolean closed;

  public KvNode(NodeConfig config) {
    this(config, Clock.systemUTC());
  }

  public KvNode(NodeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.groups = new ShardGroups(config, List.of(FIRST_SHARD));
  }

  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("node " + config.nodeId() + " was already started");
    }
    started = true;
    PeerSpec self = config.self();
    checkDataDir(config.dataDir());
    checkPortFree("Raft", config.bindHost(), self.raftPort());
    checkPortFree("API", config.bindHost(), self.apiPort());
    health.setStatus("", ServingStatus.NOT_SERVING);
    try {
      startRaft(self);
      submitter = new CommandSubmitter(groups, config.raft(), clock);
      ShardResolver resolver = new ShardResolver(new Partitioner(config.partitionCount()), FIRST_SHARD, 1);
      apiServer = new ApiServer(config.bindHost(), self.apiPort(), config.limits().maxMessageBytes(), health,
          new KvGrpcService(config.limits(), resolver, submitter, groups));
      apiServer.start();
      healthTicker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ringkv-health-" + config.nodeId()));
      healthTicker.scheduleWithFixedDelay(this::updateHealth, 0, 250, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("node started node={} raft={} api={} data={}", config.nodeId(), self.raftAddress(), self.apiEndpoint(), config.dataDir());
  }

  private void startRaft(PeerSpec self) {
    // Ratis calls System.exit when a port cannot be bound; an embedded node must throw instead.
    ExitUtils.disableSystemExit();
    RaftProperties properties = config.raft().toServerProperties(config.dataDir().resolve("raft").toFile(), config.bindHost(), self.raftPort());
    try {
      raftServer = RaftServer.newBuilder()
          .setServerId(RaftPeerId.valueOf(config.nodeId().value()))
          .setProperties(properties)
          .setParameters(new Parameters())
          .setStateMachineRegistry(groupId -> new KvStateMachine(config.partitionCount(), config.sessions()))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      groups.attach(raftServer);
      raftServer.start();
      Set<RaftGroupId> hosted = new HashSet<>();
      raftServer.getGroupIds().forEach(hosted::add);
      for (RaftGroup group : groups.groups()) {
        if (!hosted.contains(group.getGroupId())) {
          // first start: create the replica; on restart Ratis recovered it from the data dir
          RaftClientReply reply = raftServer.groupManagement(
              GroupManagementRequest.newAdd(ClientId.randomId(), raftServer.getId(), 0, group));
          if (!reply.isSuccess()) {
            throw new IOException("adding group " + group.getGroupId() + " failed", reply.getException());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new NodeStartException("cannot start Raft on port " + self.raftPort() + ": " + rootMessage(e), e);
    }
  }

  private void updateHealth() {
    boolean allLed = groups.shards().stream().allMatch(s -> groups.leaderOf(s).isPresent());
    health.setStatus("", allLed ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    health.setStatus("ringkv.v1.KV", allLed ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  public NodeConfig config() {
    return config;
  }

  public ShardGroups groups() {
    return groups;
  }

  /** The port the API listens on (differs from the configured one only if that was 0). */
  public int apiPort() {
    return apiServer.port();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (healthTicker != null) {
      healthTicker.shutdownNow();
    }
    if (apiServer != null) {
      apiServer.close();
    }
    if (submitter != null) {
      submitter.close();
    }
    if (raftServer != null) {
      try {
        raftServer.close();
      } catch (IOException e) {
        LOG.warn("closing raft server failed node={}", config.nodeId(), e);
      }
    }
    LOG.info("node stopped node={}", config.nodeId());
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
