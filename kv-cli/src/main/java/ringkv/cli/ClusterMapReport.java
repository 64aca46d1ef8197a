package ringkv.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.ShardLeader;

/**
 * What {@code kvctl cluster map} shows, derived from one {@code GetClusterMapResponse}: the
 * partition table summed up per shard.
 *
 * @param eps the map's {@code placement.eps}; {@code null} when the map has no placement settings
 * @param cap the bounded-loads cap {@code ceil((1 + eps) * P / S)} that no shard may pass, computed
 *     as {@code ringkv.router.BoundedLoadAssigner} does; {@code null} without eps or shards
 * @param shards the map's shards in id order
 * @param moves the map's partition moves in flight
 */
record ClusterMapReport(
    String clusterId,
    long epoch,
    int partitions,
    @Nullable Double eps,
    @Nullable Integer cap,
    List<Shard> shards,
    PartitionMoveSummary moves) implements ClusterReport {

  /**
   * @param partitions how many partitions the assignment gives the shard
   * @param sharePercent {@code 100 * partitions / P} with one decimal ({@code 33.4}); {@code null}
   *     when P is 0
   * @param leader the leader the answering node knows of, or {@code null}
   * @param move the replica move in flight, or {@code null}
   * @param removing the shard is being removed ({@code Admin/RemoveShard}): its partitions move
   *     away
   */
  record Shard(
      int id,
      int partitions,
      @Nullable String sharePercent,
      List<String> replicas,
      @Nullable String leader,
      @Nullable ShardMove move,
      boolean removing) {

    /** A shard that is not being removed. */
    Shard(
        int id,
        int partitions,
        @Nullable String sharePercent,
        List<String> replicas,
        @Nullable String leader,
        @Nullable ShardMove move) {
      this(id, partitions, sharePercent, replicas, leader, move, false);
    }
  }

  static ClusterMapReport of(GetClusterMapResponse response) {
    ClusterMap map = response.getMap();
    int p = map.getPartitionCount();
    int s = map.getShardsCount();
    Double eps = map.hasPlacement() ? map.getPlacement().getEps() : null;
    Integer cap = eps == null || s == 0 ? null : (int) Math.ceil((1.0 + eps) * p / s);

    Map<Integer, ShardLeader> leaders = new HashMap<>();
    for (ShardLeader leader : response.getLeadersList()) {
      leaders.merge(
          leader.getShardId(),
          leader,
          (a, b) -> Long.compareUnsigned(b.getTerm(), a.getTerm()) > 0 ? b : a);
    }

    int[] owned = new int[s];
    Map<Integer, Integer> indexOf = new HashMap<>();
    for (int i = 0; i < s; i++) {
      indexOf.put(map.getShards(i).getId(), i);
    }
    for (int owner : map.getAssignmentList()) {
      Integer index = indexOf.get(owner);
      if (index != null) {
        owned[index]++;
      }
    }

    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < s; i++) {
      ShardInfo info = map.getShards(i);
      ShardLeader leader = leaders.get(info.getId());
      shards.add(
          new Shard(
              info.getId(),
              owned[i],
              p == 0 ? null : String.format(Locale.ROOT, "%.1f", 100.0 * owned[i] / p),
              List.copyOf(info.getReplicasList()),
              leader == null || leader.getNodeId().isEmpty() ? null : leader.getNodeId(),
              ShardMove.of(info),
              info.getRemoving()));
    }
    return new ClusterMapReport(
        map.getClusterId(),
        map.getEpoch(),
        p,
        eps,
        cap,
        List.copyOf(shards),
        PartitionMoveSummary.of(map));
  }

  /** {@code 0.25}, not {@code 0.250} or {@code 2.5E-1}; {@code null} stays {@code null}. */
  private static @Nullable String plain(@Nullable Double value) {
    return value == null || value.isNaN() || value.isInfinite()
        ? null
        : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /**
   * The header line (and, while partitions move, the {@link PartitionMoveSummary#line} under it), a
   * blank line, the shards table.
   */
  @Override
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "cluster="
            + ClusterStatusReport.orDash(clusterId)
            + " epoch="
            + Long.toUnsignedString(epoch)
            + " partitions="
            + partitions
            + " shards="
            + shards.size()
            + " eps="
            + ClusterStatusReport.orDash(plain(eps)));
    if (!moves.isEmpty()) {
      lines.add(moves.line());
    }
    lines.add("");
    lines.addAll(
        ShardMove.table(
            List.of("SHARD", "PARTITIONS", "SHARE", "CAP", "REPLICAS"),
            shards.stream()
                .map(
                    shard ->
                        List.of(
                            PartitionMoveSummary.shardCell(shard.id(), shard.removing()),
                            Integer.toString(shard.partitions()),
                            shard.sharePercent() == null ? "-" : shard.sharePercent() + "%",
                            ClusterStatusReport.orDash(cap),
                            ClusterStatusReport.replicaList(shard.replicas(), shard.leader())))
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
    return moves.addTo(
        new JsonObject()
            .field("cluster_id", clusterId)
            .number("epoch", Long.toUnsignedString(epoch))
            .field("partitions", partitions)
            .number("eps", plain(eps))
            .field("cap", cap == null ? null : Long.valueOf(cap))
            .objects(
                "shards",
                shards.stream()
                    .map(
                        shard ->
                            PartitionMoveSummary.markRemoving(
                                new JsonObject()
                                    .field("id", shard.id())
                                    .field("partitions", shard.partitions())
                                    .number("share_percent", shard.sharePercent())
                                    .strings("replicas", shard.replicas())
                                    .field("leader", shard.leader())
                                    .field("move", ShardMove.json(shard.move())),
                                shard.removing()))
                    .toList()));
  }
}
