package ringkv.server.testing;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.ReplicaStatus;
import ringkv.api.v1.ShardInfo;

/**
 * Asks a {@link ProcessCluster}'s nodes, over their Admin API, whether the cluster serves: what
 * their replicas' roles, leaders and indexes are. Each check returns false and keeps the reason
 * ({@link #notReadyBecause()}) for the timeout message. One channel per node, dropped when the
 * node is killed so that a restarted node is not reached through a channel in reconnect backoff.
 */
final class ClusterProbe implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private static final String LEADER = "LEADER";

  private final List<ServerProcess> nodes;
  private final int shardCount;
  private final int replication;
  private final ManagedChannel[] channels;
  private volatile String notReadyBecause = "not probed yet";

  ClusterProbe(List<ServerProcess> nodes, int shardCount, int replication) {
    this.nodes = List.copyOf(nodes);
    this.shardCount = shardCount;
    this.replication = replication;
    this.channels = new ManagedChannel[nodes.size()];
  }

  String notReadyBecause() {
    return notReadyBecause;
  }

  /**
   * Every node that should run answers; the map lists every node and places every shard; each
   * shard has a leader that its running replicas all follow; the meta group has a leader. Fails
   * at once, with the log, when a node that should run has exited.
   */
  boolean isReady() {
    for (ServerProcess node : nodes) {
      if (node.isExpectedRunning() && !node.isRunning()) {
        throw new AssertionError(node.unexpectedExit() + "; log " + node.logFile() + ":\n" + node.tail(60));
      }
    }
    Map<Integer, GetNodeStatusResponse> statuses = runningStatuses();
    if (statuses == null) {
      return false;
    }
    int asked = statuses.keySet().iterator().next();
    ClusterMap map;
    try {
      map = AdminGrpc.newBlockingStub(channel(asked)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap();
    } catch (StatusRuntimeException e) {
      return notReady(nodes.get(asked).nodeId() + " GetClusterMap: " + e.getStatus());
    }
    if (map.getNodesCount() < nodes.size()) {
      return notReady("the map lists " + map.getNodesCount() + " of " + nodes.size() + " nodes");
    }
    // the shard count may differ from the starting one after Admin/AddShard or RemoveShard
    if (map.getShardsCount() == 0 || map.getShardsList().stream().anyMatch(s -> s.getReplicasCount() != replication)) {
      return notReady("shards not placed yet: " + map.getShardsCount() + " shards with "
          + map.getShardsList().stream().map(ShardInfo::getReplicasCount).toList() + " replicas");
    }
    for (ShardInfo shard : map.getShardsList()) {
      if (!hasFollowedLeader(statuses, "shard-" + shard.getId(), shard.getReplicasList())) {
        return false;
      }
    }
    boolean hostsMeta = statuses.values().stream().anyMatch(s -> replica(s, "meta").isPresent());
    if (hostsMeta && statuses.values().stream().noneMatch(s -> replica(s, "meta").map(r -> r.getRole().equals(LEADER)).orElse(false))) {
      return notReady("the meta group has no leader on a running node");
    }
    return true;
  }

  /** For every shard, all running replicas applied the same index, at least every one's commit index. */
  boolean isCaughtUp() {
    Map<Integer, GetNodeStatusResponse> statuses = runningStatuses();
    if (statuses == null) {
      return false;
    }
    for (int shard : shardIds(statuses)) {
      List<ReplicaStatus> replicas = new ArrayList<>();
      for (GetNodeStatusResponse status : statuses.values()) {
        replica(status, "shard-" + shard).ifPresent(replicas::add);
      }
      long commit = replicas.stream().mapToLong(ReplicaStatus::getCommitIndex).max().orElse(-1);
      Set<Long> applied = replicas.stream().map(ReplicaStatus::getAppliedIndex).collect(Collectors.toSet());
      if (replicas.isEmpty() || applied.size() != 1 || applied.iterator().next() < commit) {
        return notReady("shard-" + shard + " applied " + applied + ", commit " + commit);
      }
    }
    return true;
  }

  /** For every shard, all running replicas report the same revision and state digest. */
  boolean isConverged() {
    Map<Integer, GetNodeStatusResponse> statuses = runningStatuses(true);
    if (statuses == null) {
      return false;
    }
    for (int shard : shardIds(statuses)) {
      Map<String, String> states = new TreeMap<>();
      for (var entry : statuses.entrySet()) {
        replica(entry.getValue(), "shard-" + shard).ifPresent(r -> states.put(nodes.get(entry.getKey()).nodeId(),
            "revision " + r.getRevision() + " digest " + Long.toHexString(r.getStateDigest())));
      }
      if (states.isEmpty() || new HashSet<>(states.values()).size() != 1) {
        return notReady("shard-" + shard + " replicas: " + states);
      }
    }
    return true;
  }

  /**
   * The shard ids of the map as a running node reads it (shards come and go with Admin/AddShard
   * and RemoveShard); the starting shards when no node answers.
   */
  private List<Integer> shardIds(Map<Integer, GetNodeStatusResponse> statuses) {
    for (int i : statuses.keySet()) {
      try {
        return AdminGrpc.newBlockingStub(channel(i)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap().getShardsList().stream()
            .map(ShardInfo::getId).toList();
      } catch (StatusRuntimeException e) {
        // try the next node
      }
    }
    return java.util.stream.IntStream.range(0, shardCount).boxed().toList();
  }

  /** The running node that leads {@code group} ({@code meta} or {@code shard-<n>}), highest term first. */
  OptionalInt leaderOf(String group) {
    Map<Integer, GetNodeStatusResponse> statuses = runningStatuses();
    if (statuses == null) {
      return OptionalInt.empty();
    }
    long bestTerm = -1;
    int best = -1;
    for (var entry : statuses.entrySet()) {
      Optional<ReplicaStatus> r = replica(entry.getValue(), group);
      if (r.isPresent() && r.get().getRole().equals(LEADER) && r.get().getTerm() > bestTerm) {
        bestTerm = r.get().getTerm();
        best = entry.getKey();
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  GetNodeStatusResponse nodeStatus(int i) {
    return nodeStatus(i, false);
  }

  private GetNodeStatusResponse nodeStatus(int i, boolean includeDigest) {
    return AdminGrpc.newBlockingStub(channel(i)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .getNodeStatus(GetNodeStatusRequest.newBuilder().setIncludeDigest(includeDigest).build());
  }

  private boolean hasFollowedLeader(Map<Integer, GetNodeStatusResponse> statuses, String group, List<String> replicaIds) {
    String leader = null;
    List<ReplicaStatus> running = new ArrayList<>();
    for (String id : replicaIds) {
      int i = indexOf(id);
      if (i < 0 || !statuses.containsKey(i)) {
        continue;
      }
      Optional<ReplicaStatus> r = replica(statuses.get(i), group);
      if (r.isEmpty()) {
        return notReady(id + " does not host " + group + " yet");
      }
      running.add(r.get());
      if (r.get().getRole().equals(LEADER)) {
        leader = id;
      }
    }
    if (leader == null) {
      return notReady(group + " has no leader on a running node");
    }
    String elected = leader;
    if (!running.stream().allMatch(r -> r.getLeaderId().equals(elected))) {
      return notReady("not every running replica of " + group + " follows " + elected);
    }
    return true;
  }

  /** The status of every node that should be running, by index; null if one does not answer. */
  private Map<Integer, GetNodeStatusResponse> runningStatuses() {
    return runningStatuses(false);
  }

  private Map<Integer, GetNodeStatusResponse> runningStatuses(boolean includeDigest) {
    Map<Integer, GetNodeStatusResponse> statuses = new TreeMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).isExpectedRunning()) {
        continue;
      }
      try {
        statuses.put(i, nodeStatus(i, includeDigest));
      } catch (StatusRuntimeException e) {
        // the API port opens only once the node has its map: retry the connection promptly
        channel(i).resetConnectBackoff();
        notReady(nodes.get(i).nodeId() + " GetNodeStatus: " + e.getStatus().getCode());
        return null;
      }
    }
    if (statuses.isEmpty()) {
      notReady("no node is running");
      return null;
    }
    return statuses;
  }

  private boolean notReady(String why) {
    notReadyBecause = why;
    return false;
  }

  private static Optional<ReplicaStatus> replica(GetNodeStatusResponse status, String group) {
    return status.getReplicasList().stream().filter(r -> r.getGroup().equals(group)).findFirst();
  }

  private int indexOf(String nodeId) {
    return IntStream.range(0, nodes.size()).filter(i -> nodes.get(i).nodeId().equals(nodeId)).findFirst().orElse(-1);
  }

  private synchronized ManagedChannel channel(int i) {
    if (channels[i] == null) {
      channels[i] = Grpc.newChannelBuilder(nodes.get(i).apiEndpoint(), InsecureChannelCredentials.create()).build();
    }
    return channels[i];
  }

  /** Closes the channel to node {@code i}; the next probe opens a new one. */
  synchronized void forget(int i) {
    if (channels[i] != null) {
      channels[i].shutdownNow();
      channels[i] = null;
    }
  }

  @Override
  public void close() {
    IntStream.range(0, channels.length).forEach(this::forget);
  }
}
