package ringkv.server.admin.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.ShardInfo;

/**
 * The partition moves of one cluster map ({@code Admin/AddShard}, {@code Admin/RemoveShard}) as
 * {@code /api/cluster} shows them: {@code migrations[]}, one entry per move in flight, and {@code
 * resharding}, their summary (moves left per state, per target and per source shard, the shards
 * being removed), or null when no reshard is in flight. The map keeps no count of the moves a
 * reshard planned, so progress is "moves left"; the page turns it into a bar against the most it
 * has seen.
 */
final class MigrationsView {
  private MigrationsView() {}

  /** {@code [{"partition":5,"fromShard":2,"toShard":1,"state":"COPYING","moveEpoch":9}, ...]}. */
  static List<Object> migrations(ClusterMap map) {
    List<Object> moves = new ArrayList<>();
    for (PartitionMove move : map.getPartitionMovesList()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("partition", move.getPartition());
      json.put("fromShard", move.getFromShard());
      json.put("toShard", move.getToShard());
      json.put("state", move.getState().name());
      json.put("moveEpoch", move.getMoveEpoch());
      moves.add(json);
    }
    return moves;
  }

  /**
   * {@code {"movesLeft":2,"copying":1,"dropping":1,"moveEpoch":9,"toShards":[{"shard":0,"moves":1},
   * ...],"fromShards":[...],"removing":[2]}}, or null when nothing moves and no shard is being
   * removed.
   */
  static @Nullable Map<String, Object> resharding(ClusterMap map) {
    List<Integer> removing =
        map.getShardsList().stream().filter(ShardInfo::getRemoving).map(ShardInfo::getId).toList();
    if (map.getPartitionMovesCount() == 0 && removing.isEmpty()) {
      return null;
    }
    int copying = 0;
    int dropping = 0;
    long moveEpoch = 0;
    Map<Integer, Integer> to = new TreeMap<>();
    Map<Integer, Integer> from = new TreeMap<>();
    for (PartitionMove move : map.getPartitionMovesList()) {
      if (move.getState() == PartitionMoveState.COPYING) {
        copying++;
      } else if (move.getState() == PartitionMoveState.DROPPING) {
        dropping++;
      }
      moveEpoch = Math.max(moveEpoch, move.getMoveEpoch());
      to.merge(move.getToShard(), 1, Integer::sum);
      from.merge(move.getFromShard(), 1, Integer::sum);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("movesLeft", map.getPartitionMovesCount());
    json.put("copying", copying);
    json.put("dropping", dropping);
    json.put("moveEpoch", moveEpoch);
    json.put("toShards", perShard(to));
    json.put("fromShards", perShard(from));
    json.put("removing", removing);
    return json;
  }

  /** The moves into ({@code toShard}) or out of a shard. */
  static int movesOf(ClusterMap map, int shard, boolean into) {
    return (int)
        map.getPartitionMovesList().stream()
            .filter(m -> (into ? m.getToShard() : m.getFromShard()) == shard)
            .count();
  }

  private static List<Object> perShard(Map<Integer, Integer> moves) {
    List<Object> list = new ArrayList<>();
    moves.forEach(
        (shard, count) -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("shard", shard);
          json.put("moves", count);
          list.add(json);
        });
    return list;
  }
}
