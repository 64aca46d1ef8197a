package ringkv.server;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.BootstrapCluster;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.JoinRequest;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MetaRejectReason;
import ringkv.raft.meta.MetaRejectedException;
import ringkv.server.config.BootstrapSettings;
import ringkv.server.config.NodeConfig;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.MetaClient;

/**
 * How a starting node gets its first cluster map: by creating the cluster ({@code --bootstrap}),
 * by asking an existing node to register it ({@code --join}), or from the copy it saved before
 * a restart. Failures a person must fix (wrong cluster id, taken node id) end the start with a
 * {@link NodeStartException} naming the problem; nothing is changed in the cluster then.
 */
final class ClusterMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);

  private final NodeConfig config;
  private final HostedGroups groups;
  private final MetaClient meta;

  ClusterMembership(NodeConfig config, HostedGroups groups, MetaClient meta) {
    this.config = config;
    this.groups = groups;
    this.meta = meta;
  }

  void establish() throws Exception {
    ClusterMap saved = groups.view().current() == null ? null : groups.view().current().map();
    // epoch 0 is the provisional map of a bootstrap that did not finish: bootstrap again
    if (saved != null && saved.getEpoch() > 0) {
      if (!saved.getClusterId().equals(config.clusterId())) {
        throw new NodeStartException("data dir " + config.dataDir() + " belongs to cluster '" + saved.getClusterId()
            + "', not '" + config.clusterId() + "'");
      }
      LOG.info("rejoining cluster={} with saved map epoch={}", saved.getClusterId(), saved.getEpoch());
      return;
    }
    if (config.bootstrap() != null) {
      bootstrap(config.bootstrap());
    } else if (!config.join().isEmpty()) {
      join(config.join());
    } else {
      throw new NodeStartException("data dir " + config.dataDir() + " holds no cluster: start the first node with "
          + "--bootstrap and the others with --join host:apiPort");
    }
  }

  private void bootstrap(BootstrapSettings settings) throws Exception {
    RaftGroup metaGroup = RaftGroup.valueOf(groups.metaGroupId(), HostedGroups.peer(config.self(), 0));
    if (!groups.hostedGroupIds().contains(metaGroup.getGroupId())) {
      groups.host(metaGroup);
    }
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    while (!groups.isMetaLeader()) {
      if (System.nanoTime() > deadline) {
        throw new NodeStartException("the new meta group elected no leader within " + STARTUP_WAIT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
    // The meta client needs a map to find the meta group; a provisional one names just this node.
    groups.view().update(ClusterMap.newBuilder().setClusterId(config.clusterId()).setEpoch(0)
        .addNodes(config.self()).addMetaMembers(config.nodeId().value()).build());
    BootstrapCluster command = BootstrapCluster.newBuilder()
        .setClusterId(config.clusterId()).setShardCount(settings.shards()).setReplication(settings.replication())
        .setPartitionCount(settings.partitions()).setFirstNode(config.self()).build();
    try {
      ClusterMap map = meta.submit(MetaCommand.newBuilder().setBootstrap(command).build()).get(60, TimeUnit.SECONDS);
      groups.view().update(map);
      LOG.info("cluster bootstrapped cluster={} shards={} replication={} partitions={}", config.clusterId(),
          settings.shards(), settings.replication(), settings.partitions());
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof MetaRejectedException r && r.reason() == MetaRejectReason.ALREADY_BOOTSTRAPPED) {
        groups.view().update(meta.read().get(60, TimeUnit.SECONDS));
        return;
      }
      if (e.getCause() instanceof MetaRejectedException r) {
        throw new NodeStartException(r.getMessage());
      }
      throw e;
    }
  }

  private void join(List<String> seeds) throws InterruptedException {
    JoinRequest request = JoinRequest.newBuilder().setClusterId(config.clusterId()).setNode(config.self()).build();
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    StatusRuntimeException last = null;
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      String seed = seeds.get(attempt % seeds.size());
      ManagedChannel channel = Grpc.newChannelBuilder(seed, InsecureChannelCredentials.create()).build();
      try {
        ClusterMap map = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).join(request).getMap();
        groups.view().update(map);
        LOG.info("joined cluster={} through={} epoch={}", map.getClusterId(), seed, map.getEpoch());
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.FAILED_PRECONDITION || code == Status.Code.ALREADY_EXISTS || code == Status.Code.INVALID_ARGUMENT) {
          throw new NodeStartException("join refused by " + seed + ": " + e.getStatus().getDescription());
        }
        last = e; // the seed is not up yet, or its meta group has no leader yet
      } finally {
        channel.shutdownNow();
      }
      Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
    }
    throw new NodeStartException("could not join through " + seeds + " within " + STARTUP_WAIT.toSeconds() + " s: "
        + (last == null ? "no answer" : last.getStatus()));
  }
}
