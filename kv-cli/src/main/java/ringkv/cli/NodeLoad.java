package ringkv.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardInfo;

/**
 * What one node carries once the replica moves in the map have finished: its replicas, and the
 * shards whose preferred leader (first replica) it is. Counting a move's target rather than its
 * source lets {@code --no-wait} show the layout the planned moves lead to.
 */
record NodeLoad(String node, int replicas, int leads) {
  /** Every node of the map, in join order. */
  static List<NodeLoad> of(ClusterMap map) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (NodeInfo node : map.getNodesList()) {
      counts.put(node.getId(), new int[2]);
    }
    for (ShardInfo shard : map.getShardsList()) {
      for (int i = 0; i < shard.getReplicasCount(); i++) {
        int[] count = counts.computeIfAbsent(holder(shard, shard.getReplicas(i)), n -> new int[2]);
        count[0]++;
        if (i == 0) {
          count[1]++;
        }
      }
    }
    List<NodeLoad> loads = new ArrayList<>();
    counts.forEach((node, count) -> loads.add(new NodeLoad(node, count[0], count[1])));
    return List.copyOf(loads);
  }

  /** The load of {@code node}; none when the map does not have it. */
  static NodeLoad of(ClusterMap map, String node) {
    return of(map).stream()
        .filter(load -> load.node().equals(node))
        .findFirst()
        .orElse(new NodeLoad(node, 0, 0));
  }

  /** A table of {@link #of(ClusterMap)}: NODE, REPLICAS, LEADS. */
  static List<String> table(ClusterMap map) {
    TextTable table = new TextTable(List.of("NODE", "REPLICAS", "LEADS"));
    for (NodeLoad load : of(map)) {
      table.row(List.of(load.node(), "" + load.replicas(), "" + load.leads()));
    }
    return table.lines();
  }

  /** {@link #of(ClusterMap)} as JSON objects {@code {"node","replicas","leads"}}. */
  static List<JsonObject> json(ClusterMap map) {
    return of(map).stream()
        .map(
            l ->
                new JsonObject()
                    .field("node", l.node())
                    .field("replicas", l.replicas())
                    .field("leads", l.leads()))
        .toList();
  }

  /** {@code holds 2 replicas, leads 1 shard} */
  String summary() {
    return "holds " + count(replicas, "replica") + ", leads " + count(leads, "shard");
  }

  static String count(int n, String thing) {
    return n + " " + thing + (n == 1 ? "" : "s");
  }

  /** The node that holds the replica once the shard's move in flight, if any, has finished. */
  private static String holder(ShardInfo shard, String replica) {
    return shard.hasMove() && shard.getMove().getFromNodeId().equals(replica)
        ? shard.getMove().getToNodeId()
        : replica;
  }
}
