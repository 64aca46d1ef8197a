package ringkv.cli;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;

/**
 * The partition moves in flight in one cluster map ({@code Admin/AddShard}, {@code
 * Admin/RemoveShard}), summed up per state and per shard, for {@code cluster status}, {@code
 * cluster map} and the progress of {@code shard add} and {@code shard remove}.
 *
 * @param count the moves in flight
 * @param copying those still copying ({@code COPYING})
 * @param dropping those whose source still has to drop its copy ({@code DROPPING})
 * @param toShards moves per target shard id, in id order
 * @param fromShards moves per source shard id, in id order
 * @param direction where the partitions go: {@code shard 3 <- shards 0,1,2} per target shard, or
 *     {@code shard 2 -> shards 0,1} when they all leave one shard for several; empty without moves
 */
record PartitionMoveSummary(
    int count,
    int copying,
    int dropping,
    SortedMap<Integer, Integer> toShards,
    SortedMap<Integer, Integer> fromShards,
    String direction) {

  /** The marker that {@code cluster status} and {@code cluster map} put on a shard that goes. */
  static final String REMOVING = "REMOVING";

  PartitionMoveSummary {
    toShards = Collections.unmodifiableSortedMap(new TreeMap<>(toShards));
    fromShards = Collections.unmodifiableSortedMap(new TreeMap<>(fromShards));
  }

  static PartitionMoveSummary of(ClusterMap map) {
    int copying = 0;
    int dropping = 0;
    SortedMap<Integer, Integer> to = new TreeMap<>();
    SortedMap<Integer, Integer> from = new TreeMap<>();
    SortedMap<Integer, SortedSet<Integer>> sourcesByTarget = new TreeMap<>();
    for (PartitionMove move : map.getPartitionMovesList()) {
      if (move.getState() == PartitionMoveState.COPYING) {
        copying++;
      } else if (move.getState() == PartitionMoveState.DROPPING) {
        dropping++;
      }
      to.merge(move.getToShard(), 1, Integer::sum);
      from.merge(move.getFromShard(), 1, Integer::sum);
      sourcesByTarget
          .computeIfAbsent(move.getToShard(), t -> new TreeSet<>())
          .add(move.getFromShard());
    }
    String direction =
        from.size() == 1 && to.size() > 1
            ? shards(from.keySet()) + " -> " + shards(to.keySet())
            : sourcesByTarget.entrySet().stream()
                .map(e -> shards(List.of(e.getKey())) + " <- " + shards(e.getValue()))
                .collect(Collectors.joining("; "));
    return new PartitionMoveSummary(
        map.getPartitionMovesCount(), copying, dropping, to, from, direction);
  }

  boolean isEmpty() {
    return count == 0;
  }

  /**
   * {@code resharding: 42 partition moves left (copying 4, dropping 0): shard 3 <- shards 0,1,2},
   * the line the cluster tables add under their header while partitions move.
   */
  String line() {
    return "resharding: "
        + count
        + (count == 1 ? " partition move left" : " partition moves left")
        + " (copying "
        + copying
        + ", dropping "
        + dropping
        + "): "
        + direction;
  }

  /** The SHARD cell of the cluster tables: {@code shard-2}, or {@code shard-2 REMOVING}. */
  static String shardCell(int id, boolean removing) {
    return "shard-" + id + (removing ? " " + REMOVING : "");
  }

  /** {@code shard} with {@code "removing":true} added when {@code removing}; else as it is. */
  static JsonObject markRemoving(JsonObject shard, boolean removing) {
    return removing ? shard.field("removing", true) : shard;
  }

  /** {@code report} with a last field {@code "partition_moves"}: {@link #json}, unless empty. */
  JsonObject addTo(JsonObject report) {
    return isEmpty() ? report : report.field("partition_moves", json());
  }

  /** {@code shard 3}, or {@code shards 0,1,2}. */
  static String shards(Collection<Integer> ids) {
    return (ids.size() == 1 ? "shard " : "shards ")
        + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /**
   * {@code {"count":42,"copying":4,"dropping":0,"to_shards":[{"shard":3,"moves":42}],
   * "from_shards":[{"shard":0,"moves":14},...]}}.
   */
  JsonObject json() {
    return new JsonObject()
        .field("count", count)
        .field("copying", copying)
        .field("dropping", dropping)
        .objects("to_shards", perShard(toShards))
        .objects("from_shards", perShard(fromShards));
  }

  private static List<JsonObject> perShard(Map<Integer, Integer> moves) {
    return moves.entrySet().stream()
        .map(e -> new JsonObject().field("shard", e.getKey()).field("moves", e.getValue()))
        .toList();
  }
}
