package ringkv.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.NodeStatus;
import ringkv.api.v1.ReplicaStatus;
import ringkv.api.v1.ShardInfo;

/**
 * What {@code kvctl cluster status} shows, derived from one {@code GetClusterStatusResponse}: the
 * map's nodes and shards, with what the nodes that answered said about their replicas.
 *
 * @param metaLeader the node whose meta replica is LEADER (highest term if several say so)
 * @param nodes the map's nodes in join order, then any node that reported but is not in the map
 * @param shards the map's shards in id order
 * @param moves the map's partition moves in flight
 */
record ClusterStatusReport(
    String clusterId,
    long epoch,
    int partitions,
    int replication,
    List<String> metaMembers,
    @Nullable String metaLeader,
    List<Node> nodes,
    List<Shard> shards,
    PartitionMoveSummary moves) implements ClusterReport {

  static final String LEADER = "LEADER";

  /**
   * @param raft {@code host:raft_port}, or {@code -} for a node not in the map
   * @param error why the node is down, on one line; {@code null} when there is nothing to say
   * @param groups the groups it hosts ({@code meta}, {@code shard-N}), meta first, then by shard
   * @param leaders those of {@code groups} whose replica on this node is LEADER
   * @param limitsReached the write limits the node says it has reached ({@code DISK_FULL},
   *     {@code MEMORY_FULL}): the shards it holds refuse such writes
   */
  record Node(
      String id,
      String raft,
      String api,
      boolean up,
      @Nullable String error,
      List<String> groups,
      List<String> leaders,
      List<String> limitsReached) {

    /** A node within its write limits, or one that did not say. */
    Node(String id, String raft, String api, boolean up, @Nullable String error, List<String> groups, List<String> leaders) {
      this(id, raft, api, up, error, groups, leaders, List.of());
    }
  }

  /**
   * @param replicas the map's replica node ids; the first is the preferred leader
   * @param leader the node whose replica is LEADER (highest term if several say so), or {@code
   *     null}
   * @param partitions how many partitions the assignment gives the shard
   * @param keys the leader replica's key count; without a leader, the largest any replica reported;
   *     {@code null} when no replica reported
   * @param appliedIndex the leader replica's applied index; {@code null} without a leader
   * @param move the replica move in flight, or {@code null}
   * @param removing the shard is being removed ({@code Admin/RemoveShard}): its partitions move
   *     away
   */
  record Shard(
      int id,
      List<String> replicas,
      @Nullable String leader,
      int partitions,
      @Nullable Long keys,
      @Nullable Long appliedIndex,
      @Nullable ShardMove move,
      boolean removing) {

    /** A shard that is not being removed. */
    Shard(
        int id,
        List<String> replicas,
        @Nullable String leader,
        int partitions,
        @Nullable Long keys,
        @Nullable Long appliedIndex,
        @Nullable ShardMove move) {
      this(id, replicas, leader, partitions, keys, appliedIndex, move, false);
    }
  }

  /** A replica and the node that reported it. */
  private record Reported(String node, ReplicaStatus replica) {
    boolean isLeader() {
      return LEADER.equalsIgnoreCase(replica.getRole());
    }
  }

  static ClusterStatusReport of(GetClusterStatusResponse response) {
    ClusterMap map = response.getMap();
    Map<String, NodeStatus> statuses = new LinkedHashMap<>();
    for (NodeStatus status : response.getNodesList()) {
      statuses.putIfAbsent(status.getNodeId(), status);
    }

    List<Node> nodes = new ArrayList<>();
    List<Reported> reported = new ArrayList<>();
    for (NodeInfo info : map.getNodesList()) {
      NodeStatus status = statuses.remove(info.getId());
      nodes.add(
          node(
              info.getId(),
              address(info.getHost(), info.getRaftPort()),
              address(info.getHost(), info.getApiPort()),
              status,
              reported));
    }
    for (NodeStatus stray : statuses.values()) {
      nodes.add(node(stray.getNodeId(), "-", "-", stray, reported));
    }

    Reported metaLeader = leader(reported.stream().filter(r -> isMeta(r.replica())).toList());

    List<Shard> shards = new ArrayList<>();
    for (ShardInfo info : map.getShardsList()) {
      int id = info.getId();
      List<Reported> replicas =
          reported.stream()
              .filter(r -> !isMeta(r.replica()) && r.replica().getShardId() == id)
              .toList();
      Reported leader = leader(replicas);
      Long keys =
          leader != null
              ? Long.valueOf(leader.replica().getKeyCount())
              : replicas.stream()
                  .map(r -> r.replica().getKeyCount())
                  .max(Comparator.naturalOrder())
                  .orElse(null);
      shards.add(
          new Shard(
              id,
              List.copyOf(info.getReplicasList()),
              leader == null ? null : leader.node(),
              (int) map.getAssignmentList().stream().filter(owner -> owner == id).count(),
              keys,
              leader == null ? null : leader.replica().getAppliedIndex(),
              ShardMove.of(info),
              info.getRemoving()));
    }

    return new ClusterStatusReport(
        map.getClusterId(),
        map.getEpoch(),
        map.getPartitionCount(),
        map.getReplication(),
        List.copyOf(map.getMetaMembersList()),
        metaLeader == null ? null : metaLeader.node(),
        List.copyOf(nodes),
        List.copyOf(shards),
        PartitionMoveSummary.of(map));
  }

  /**
   * One node's row; adds its replicas to {@code reported} when it is up. A node of the map without
   * a status is down: nobody reported on it.
   */
  private static Node node(
      String id, String raft, String api, @Nullable NodeStatus status, List<Reported> reported) {
    if (status == null) {
      return new Node(id, raft, api, false, "no status reported", List.of(), List.of());
    }
    String error = status.getError().isBlank() ? null : ErrorReporter.oneLine(status.getError());
    if (!status.getUp()) {
      return new Node(id, raft, api, false, error, List.of(), List.of());
    }
    List<ReplicaStatus> replicas =
        status.getStatus().getReplicasList().stream().sorted(GROUP_ORDER).toList();
    replicas.forEach(r -> reported.add(new Reported(id, r)));
    return new Node(
        id,
        raft,
        api,
        true,
        error,
        replicas.stream().map(ClusterStatusReport::group).toList(),
        replicas.stream()
            .filter(r -> LEADER.equalsIgnoreCase(r.getRole()))
            .map(ClusterStatusReport::group)
            .toList(),
        status.getStatus().getLimitsReachedList().stream().map(l -> l.getReason().name()).toList());
  }

  private static final Comparator<ReplicaStatus> GROUP_ORDER =
      Comparator.comparing((ReplicaStatus r) -> !isMeta(r))
          .thenComparingInt(ReplicaStatus::getShardId);

  private static boolean isMeta(ReplicaStatus replica) {
    return replica.getIsMeta() || "meta".equals(replica.getGroup());
  }

  private static String group(ReplicaStatus replica) {
    if (!replica.getGroup().isBlank()) {
      return replica.getGroup();
    }
    return isMeta(replica) ? "meta" : "shard-" + replica.getShardId();
  }

  /** The replica that says it is LEADER, the highest term first, then the first reported. */
  private static @Nullable Reported leader(List<Reported> replicas) {
    Reported leader = null;
    for (Reported r : replicas) {
      if (r.isLeader()
          && (leader == null
              || Long.compareUnsigned(r.replica().getTerm(), leader.replica().getTerm()) > 0)) {
        leader = r;
      }
    }
    return leader;
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  static String address(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Replica ids, comma-separated, the leader's followed by {@code *}; {@code -} when none. */
  static String replicaList(List<String> replicas, @Nullable String leader) {
    return replicas.isEmpty()
        ? "-"
        : String.join(",", replicas.stream().map(r -> r.equals(leader) ? r + "*" : r).toList());
  }

  static String orDash(@Nullable Object value) {
    return value == null || value.toString().isEmpty() ? "-" : value.toString();
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? "-" : String.join(",", values);
  }

  /**
   * The header line (and, while partitions move, the {@link PartitionMoveSummary#line} under it), a
   * blank line, the nodes table, a blank line, the shards table.
   */
  @Override
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "cluster="
            + orDash(clusterId)
            + " epoch="
            + Long.toUnsignedString(epoch)
            + " partitions="
            + partitions
            + " replication="
            + replication
            + " meta="
            + replicaList(metaMembers, metaLeader));
    if (!moves.isEmpty()) {
      lines.add(moves.line());
    }
    lines.add("");

    boolean anyError = nodes.stream().anyMatch(n -> n.error() != null);
    boolean anyLimit = nodes.stream().anyMatch(n -> !n.limitsReached().isEmpty());
    List<String> header =
        new ArrayList<>(List.of("NODE", "RAFT", "API", "STATE", "GROUPS", "LEADERS"));
    if (anyLimit) {
      header.add("LIMITS");
    }
    if (anyError) {
      header.add("ERROR");
    }
    TextTable nodeTable = new TextTable(header);
    for (Node n : nodes) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  n.id(),
                  n.raft(),
                  n.api(),
                  n.up() ? "UP" : "DOWN",
                  list(n.groups()),
                  list(n.leaders())));
      if (anyLimit) {
        row.add(n.limitsReached().isEmpty() ? "-" : list(n.limitsReached()));
      }
      if (anyError) {
        row.add(orDash(n.error()));
      }
      nodeTable.row(row);
    }
    lines.addAll(nodeTable.lines());
    lines.add("");

    lines.addAll(
        ShardMove.table(
            List.of("SHARD", "REPLICAS", "LEADER", "PARTITIONS", "KEYS", "APPLIED"),
            shards.stream()
                .map(
                    s ->
                        List.of(
                            PartitionMoveSummary.shardCell(s.id(), s.removing()),
                            replicaList(s.replicas(), s.leader()),
                            orDash(s.leader()),
                            Integer.toString(s.partitions()),
                            orDash(s.keys()),
                            orDash(s.appliedIndex())))
                .toList(),
            shards.stream().map(Shard::move).toList()));
    return lines;
  }

  /**
   * The whole report as one JSON object; {@code docs/kvctl.md} documents the fields. {@code
   * removing} (on a shard) and {@code partition_moves} appear only while a reshard is in flight.
   */
  @Override
  public JsonObject json() {
    JsonObject json =
        new JsonObject()
            .field("cluster_id", clusterId)
            .number("epoch", Long.toUnsignedString(epoch))
            .field("partitions", partitions)
            .field("replication", replication)
            .strings("meta_members", metaMembers)
            .field("meta_leader", metaLeader)
            .objects(
                "nodes",
                nodes.stream()
                    .map(
                        n ->
                            new JsonObject()
                                .field("id", n.id())
                                .field("raft", n.raft())
                                .field("api", n.api())
                                .field("up", n.up())
                                .field("error", n.error())
                                .strings("groups", n.groups())
                                .strings("leaders", n.leaders())
                                .strings("limits_reached", n.limitsReached()))
                    .toList())
            .objects(
                "shards",
                shards.stream()
                    .map(
                        s ->
                            PartitionMoveSummary.markRemoving(
                                new JsonObject()
                                    .field("id", s.id())
                                    .strings("replicas", s.replicas())
                                    .field("leader", s.leader())
                                    .field("partitions", s.partitions())
                                    .field("keys", s.keys())
                                    .field("applied_index", s.appliedIndex())
                                    .field("move", ShardMove.json(s.move())),
                                s.removing()))
                    .toList());
    return moves.addTo(json);
  }
}
