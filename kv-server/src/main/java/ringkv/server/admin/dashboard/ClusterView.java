package ringkv.server.admin.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ReplicaStatus;
import ringkv.api.v1.ShardInfo;
import ringkv.router.BoundedLoadAssigner;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * {@code /api/cluster}: this node's copy of the cluster map joined with every node's answer to
 * {@code Admin/GetNodeStatus}: nodes up or down, each shard's replicas with their roles and the
 * leader, the meta group, the partition assignment with each shard's load against the bounded-load
 * cap, the ring arcs, and the partition moves in flight ({@link MigrationsView}). A leader is the
 * replica that says LEADER on a node that answered, the highest term first (as {@code kvctl
 * cluster status} decides).
 *
 * <p>Answers are reused for {@link #MAX_AGE_NANOS}, so several open dashboards cost one probe
 * round; the ring is recomputed only when the map's epoch changes. Synchronized.
 */
final class ClusterView {
  static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
  private static final String LEADER = "LEADER";

  private final HostedGroups groups;
  private final NodeStatusProbe probe;
  private final LongSupplier nanoTime;
  private long builtAt;
  private @Nullable Map<String, Object> last;
  private long ringEpoch = -1;
  private List<List<Number>> ring = List.of();

  ClusterView(HostedGroups groups, NodeStatusProbe probe, LongSupplier nanoTime) {
    this.groups = groups;
    this.probe = probe;
    this.nanoTime = nanoTime;
  }

  /** The view, or null while this node has no cluster map. */
  synchronized @Nullable Map<String, Object> current() {
    long now = nanoTime.getAsLong();
    if (last != null && now - builtAt < MAX_AGE_NANOS) {
      return last;
    }
    ClusterMapView.Snapshot snapshot = groups.view().current();
    if (snapshot == null) {
      return null;
    }
    last = build(snapshot.map(), probe.probe(snapshot.map().getNodesList()));
    builtAt = nanoTime.getAsLong();
    return last;
  }

  /** One replica as a node reported it. */
  private record Reported(String node, ReplicaStatus replica) {}

  private Map<String, Object> build(ClusterMap map, Map<String, NodeStatusProbe.Result> status) {
    List<Reported> reported = new ArrayList<>();
    status.forEach((node, result) -> {
      if (result.up() && result.status() != null) {
        result.status().getReplicasList().forEach(r -> reported.add(new Reported(node, r)));
      }
    });
    Reported metaLeader = leader(reported.stream().filter(r -> r.replica().getIsMeta()).toList());

    Map<Integer, Integer> loads = PartitionRing.loads(map.getAssignmentList());
    List<Object> shards = new ArrayList<>();
    Map<String, List<Integer>> leads = new LinkedHashMap<>();
    for (ShardInfo shard : map.getShardsList()) {
      List<Reported> replicas = reported.stream()
          .filter(r -> !r.replica().getIsMeta() && r.replica().getShardId() == shard.getId()).toList();
      Reported leader = leader(replicas);
      if (leader != null) {
        leads.computeIfAbsent(leader.node(), n -> new ArrayList<>()).add(shard.getId());
      }
      Map<String, Object> json = shard(shard, replicas, leader, status, loads.getOrDefault(shard.getId(), 0));
      json.put("removing", shard.getRemoving());
      json.put("movesIn", MigrationsView.movesOf(map, shard.getId(), true));
      json.put("movesOut", MigrationsView.movesOf(map, shard.getId(), false));
      shards.add(json);
    }

    List<Object> nodes = new ArrayList<>();
    for (NodeInfo node : map.getNodesList()) {
      NodeStatusProbe.Result result = status.get(node.getId());
      boolean up = result != null && result.up();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", node.getId());
      json.put("host", node.getHost());
      json.put("apiPort", node.getApiPort());
      json.put("raftPort", node.getRaftPort());
      json.put("adminPort", node.getAdminPort() == 0 ? null : node.getAdminPort());
      json.put("up", up);
      json.put("error", up || result == null ? null : result.error());
      json.put("mapEpoch", up && result.status() != null ? result.status().getMapEpoch() : null);
      json.put("metaMember", map.getMetaMembersList().contains(node.getId()));
      json.put("leads", leads.getOrDefault(node.getId(), List.of()));
      json.put("replicas", map.getShardsList().stream().filter(s -> s.getReplicasList().contains(node.getId())).count());
      nodes.add(json);
    }

    if (ringEpoch != map.getEpoch()) {
      ring = PartitionRing.arcs(map.getAssignmentList());
      ringEpoch = map.getEpoch();
    }
    Map<String, Object> placement = new LinkedHashMap<>();
    placement.put("virtualPointsPerShard", map.getPlacement().getVirtualPointsPerShard());
    placement.put("eps", map.getPlacement().getEps());

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("self", groups.self().value());
    json.put("clusterId", map.getClusterId());
    json.put("epoch", map.getEpoch());
    json.put("partitionCount", map.getPartitionCount());
    json.put("replication", map.getReplication());
    json.put("placement", placement);
    json.put("cap", cap(map));
    json.put("metaMembers", map.getMetaMembersList());
    json.put("metaLeader", metaLeader == null ? null : metaLeader.node());
    json.put("nodes", nodes);
    json.put("shards", shards);
    json.put("assignment", map.getAssignmentList());
    json.put("ring", ring);
    json.put("migrations", MigrationsView.migrations(map));
    json.put("resharding", MigrationsView.resharding(map));
    json.put("generatedAtMillis", System.currentTimeMillis());
    return json;
  }

  private static Map<String, Object> shard(ShardInfo shard, List<Reported> replicas, @Nullable Reported leader,
      Map<String, NodeStatusProbe.Result> status, int partitions) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", shard.getId());
    json.put("replicas", shard.getReplicasList());
    json.put("leader", leader == null ? null : leader.node());
    json.put("term", leader != null ? leader.replica().getTerm()
        : replicas.stream().mapToLong(r -> r.replica().getTerm()).max().orElse(0));
    json.put("appliedIndex", leader == null ? null : leader.replica().getAppliedIndex());
    json.put("keys", leader != null ? leader.replica().getKeyCount()
        : replicas.stream().mapToLong(r -> r.replica().getKeyCount()).max().orElse(0));
    json.put("partitions", partitions);
    List<Object> states = new ArrayList<>();
    // the map's replicas in order, then any replica a node reports that the map does not place there
    TreeSet<String> extra = new TreeSet<>();
    replicas.forEach(r -> extra.add(r.node()));
    extra.removeAll(shard.getReplicasList());
    List<String> all = new ArrayList<>(shard.getReplicasList());
    all.addAll(extra);
    for (String node : all) {
      NodeStatusProbe.Result result = status.get(node);
      Reported mine = replicas.stream().filter(r -> r.node().equals(node)).findFirst().orElse(null);
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("node", node);
      state.put("role", result == null || !result.up() ? "DOWN" : mine == null ? "MISSING" : mine.replica().getRole());
      state.put("appliedIndex", mine == null ? null : mine.replica().getAppliedIndex());
      state.put("lag", mine == null || leader == null ? null
          : Math.max(0, leader.replica().getAppliedIndex() - mine.replica().getAppliedIndex()));
      state.put("placed", shard.getReplicasList().contains(node));
      states.add(state);
    }
    json.put("replicaStates", states);
    return json;
  }

  /** The replica that says LEADER, the highest term first. */
  private static @Nullable Reported leader(List<Reported> replicas) {
    Reported leader = null;
    for (Reported r : replicas) {
      if (LEADER.equalsIgnoreCase(r.replica().getRole())
          && (leader == null || Long.compareUnsigned(r.replica().getTerm(), leader.replica().getTerm()) > 0)) {
        leader = r;
      }
    }
    return leader;
  }

  /** ceil((1 + eps) * P / S), as {@link BoundedLoadAssigner.Config#cap} computes it; null if unknown. */
  private static @Nullable Integer cap(ClusterMap map) {
    if (map.getShardsCount() == 0 || map.getPartitionCount() == 0) {
      return null;
    }
    try {
      return new BoundedLoadAssigner.Config(map.getPartitionCount(), map.getPlacement().getVirtualPointsPerShard(),
          map.getPlacement().getEps()).cap(map.getShardsCount());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
