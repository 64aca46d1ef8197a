package ringkv.raft.meta;

import static ringkv.raft.meta.ClusterMapEditor.reject;
import static ringkv.raft.meta.ClusterMapEditor.requireBootstrapped;
import static ringkv.raft.meta.ClusterMapEditor.shardIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ForgetNode;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RebalanceReplicas;
import ringkv.api.v1.RemoveNode;
import ringkv.api.v1.ReplicaMove;
import ringkv.api.v1.SetPreferredLeader;
import ringkv.api.v1.ShardInfo;

/**
 * The map rules of nodes leaving and of spreading replicas and leaders evenly (Admin/RemoveNode,
 * Admin/RebalanceReplicas, the meta leader's leader balancing). Replicas move with the replica
 * moves of {@link ClusterMapEditor#startReplicaMove} (one Raft membership change per shard, so no
 * shard ever drops below its quorum). Pure and deterministic, like the other editors.
 */
public final class NodeEditor {
  private NodeEditor() {}

  /** Marks {@code node} as leaving and starts moving each of its replicas to the least loaded other node. */
  public static ClusterMap removeNode(@Nullable ClusterMap current, RemoveNode cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = nodeIndex(map, cmd.getNodeId());
    if (map.getNodes(index).getLeaving()) {
      return map; // a retried request
    }
    List<String> staying = activeNodes(map).stream().filter(n -> !n.equals(cmd.getNodeId())).toList();
    if (staying.size() < map.getReplication()) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "cannot remove node " + cmd.getNodeId() + ": " + staying.size()
          + " nodes would remain for " + map.getReplication() + " replicas per shard, so a shard would lose a replica"
          + " and with it its tolerance of a failure; add a node first");
    }
    ClusterMap.Builder next = map.toBuilder().setEpoch(map.getEpoch() + 1)
        .setNodes(index, map.getNodes(index).toBuilder().setLeaving(true));
    Map<String, Integer> load = replicaCounts(map);
    for (int s = 0; s < map.getShardsCount(); s++) {
      ShardInfo shard = map.getShards(s);
      if (!shard.getReplicasList().contains(cmd.getNodeId())) {
        continue;
      }
      if (shard.hasMove()) {
        throw reject(MetaRejectReason.INVALID_REQUEST, "cannot remove node " + cmd.getNodeId() + " now: shard "
            + shard.getId() + " is moving a replica from " + shard.getMove().getFromNodeId() + " to "
            + shard.getMove().getToNodeId() + "; try again when it finished");
      }
      String to = staying.stream().filter(n -> !shard.getReplicasList().contains(n))
          .min(Comparator.comparingInt((String n) -> load.getOrDefault(n, 0)).thenComparingInt(staying::indexOf))
          .orElseThrow();
      load.merge(to, 1, Integer::sum);
      next.setShards(s, shard.toBuilder().setMove(ReplicaMove.newBuilder().setFromNodeId(cmd.getNodeId())
          .setToNodeId(to).setStartedEpoch(next.getEpoch())));
    }
    return next.build();
  }

  /** Forgets a leaving node once it holds no replica, is in no move and is no meta member; otherwise refused. */
  public static ClusterMap forgetNode(@Nullable ClusterMap current, ForgetNode cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = -1;
    for (int i = 0; i < map.getNodesCount(); i++) {
      if (map.getNodes(i).getId().equals(cmd.getNodeId())) {
        index = i;
      }
    }
    if (index < 0) {
      return map; // forgotten already
    }
    String id = cmd.getNodeId();
    boolean busy = !map.getNodes(index).getLeaving() || map.getMetaMembersList().contains(id)
        || map.getShardsList().stream().anyMatch(s -> s.getReplicasList().contains(id)
            || (s.hasMove() && (s.getMove().getToNodeId().equals(id) || s.getMove().getFromNodeId().equals(id))));
    if (busy) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node " + id + " is not leaving or still holds replicas or a meta seat");
    }
    return map.toBuilder().setEpoch(map.getEpoch() + 1).removeNodes(index).build();
  }

  /**
   * Starts replica moves from the most loaded active nodes to the least loaded ones, at most one per
   * shard (shards already moving are left alone), until no node holds two more than another or no
   * shard can move. Planning nothing is not an error.
   */
  public static ClusterMap rebalanceReplicas(@Nullable ClusterMap current, RebalanceReplicas cmd) {
    ClusterMap map = requireBootstrapped(current);
    List<String> active = activeNodes(map);
    Map<String, Integer> load = replicaCounts(map);
    active.forEach(n -> load.putIfAbsent(n, 0));
    long epoch = map.getEpoch() + 1;
    ClusterMap.Builder next = map.toBuilder();
    boolean changed = false;
    boolean[] moving = new boolean[map.getShardsCount()];
    for (int s = 0; s < map.getShardsCount(); s++) {
      moving[s] = map.getShards(s).hasMove() || map.getShards(s).getReplicasCount() == 0;
    }
    while (true) {
      Comparator<String> byLoad = Comparator.comparingInt((String n) -> load.get(n)).thenComparingInt(active::indexOf);
      List<String> order = active.stream().sorted(byLoad).toList();
      String least = order.get(0);
      String most = order.get(order.size() - 1);
      if (load.get(most) - load.get(least) <= 1) {
        break;
      }
      int chosen = -1;
      for (int s = 0; s < map.getShardsCount() && chosen < 0; s++) {
        List<String> replicas = map.getShards(s).getReplicasList();
        if (!moving[s] && replicas.contains(most) && !replicas.contains(least)) {
          chosen = s;
        }
      }
      if (chosen < 0) {
        break;
      }
      moving[chosen] = true;
      load.merge(most, -1, Integer::sum);
      load.merge(least, 1, Integer::sum);
      next.setShards(chosen, map.getShards(chosen).toBuilder().setMove(ReplicaMove.newBuilder().setFromNodeId(most)
          .setToNodeId(least).setStartedEpoch(epoch)));
      changed = true;
    }
    return changed ? next.setEpoch(epoch).build() : map;
  }

  /** Puts {@code node} first in the shard's replicas (its preferred leader); a no-op when it is first already. */
  public static ClusterMap setPreferredLeader(@Nullable ClusterMap current, SetPreferredLeader cmd) {
    ClusterMap map = requireBootstrapped(current);
    int index = shardIndex(map, cmd.getShardId());
    ShardInfo shard = map.getShards(index);
    List<String> replicas = new ArrayList<>(shard.getReplicasList());
    if (!replicas.contains(cmd.getNodeId())) {
      throw reject(MetaRejectReason.INVALID_REQUEST, "node " + cmd.getNodeId() + " holds no replica of shard "
          + shard.getId() + "; its replicas are on " + replicas);
    }
    if (replicas.get(0).equals(cmd.getNodeId())) {
      return map;
    }
    replicas.remove(cmd.getNodeId());
    replicas.add(0, cmd.getNodeId());
    return map.toBuilder().setEpoch(map.getEpoch() + 1)
        .setShards(index, shard.toBuilder().clearReplicas().addAllReplicas(replicas)).build();
  }

  /**
   * The next step towards preferred leaders spread evenly over the active nodes: a shard whose
   * preferred leader is on a node preferred by the most shards, and another of its replicas on a
   * node preferred by at least two fewer. Empty when balanced (or nothing can move).
   */
  public static Optional<SetPreferredLeader> nextLeaderMove(ClusterMap map) {
    List<String> active = activeNodes(map);
    Map<String, Integer> leaders = new LinkedHashMap<>();
    active.forEach(n -> leaders.put(n, 0));
    for (ShardInfo shard : map.getShardsList()) {
      if (shard.getReplicasCount() > 0 && !shard.hasMove()) {
        leaders.merge(shard.getReplicas(0), 1, Integer::sum);
      }
    }
    for (ShardInfo shard : map.getShardsList()) {
      if (shard.getReplicasCount() == 0 || shard.hasMove() || shard.getRemoving()) {
        continue;
      }
      int current = leaders.getOrDefault(shard.getReplicas(0), 0);
      Optional<String> better = shard.getReplicasList().stream().skip(1).filter(leaders::containsKey)
          .filter(n -> leaders.get(n) + 1 < current)
          .min(Comparator.comparingInt(leaders::get));
      boolean onBusiest = current == leaders.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      if (better.isPresent() && onBusiest) {
        return Optional.of(SetPreferredLeader.newBuilder().setShardId(shard.getId()).setNodeId(better.get()).build());
      }
    }
    return Optional.empty();
  }

  /** Ids of the nodes that are not leaving, in join order. */
  static List<String> activeNodes(ClusterMap map) {
    return map.getNodesList().stream().filter(n -> !n.getLeaving()).map(NodeInfo::getId).toList();
  }

  /** Replicas per node, counting a move in flight as done. */
  private static Map<String, Integer> replicaCounts(ClusterMap map) {
    Map<String, Integer> load = new HashMap<>();
    for (ShardInfo shard : map.getShardsList()) {
      for (String replica : shard.getReplicasList()) {
        String holder = shard.hasMove() && shard.getMove().getFromNodeId().equals(replica) ? shard.getMove().getToNodeId() : replica;
        load.merge(holder, 1, Integer::sum);
      }
    }
    return load;
  }

  private static int nodeIndex(ClusterMap map, String id) {
    for (int i = 0; i < map.getNodesCount(); i++) {
      if (map.getNodes(i).getId().equals(id)) {
        return i;
      }
    }
    throw reject(MetaRejectReason.INVALID_REQUEST, "node '" + id + "' is not a node of the cluster; nodes are "
        + map.getNodesList().stream().map(NodeInfo::getId).toList());
  }
}
