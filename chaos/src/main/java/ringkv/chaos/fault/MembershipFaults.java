package ringkv.chaos.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardInfo;

/** Faults that change who holds the data: replica moves (Raft membership changes) while the network breaks. */
public final class MembershipFaults {
  /** A node removal moves a replica per shard; the rejoin and rebalance as many again, on a busy machine. */
  private static final Duration NODE_CHANGE_TIMEOUT = Duration.ofSeconds(120);

  private MembershipFaults() {}

  /**
   * Moves a replica of a random shard (its leader one time in two) to a node that holds none,
   * and while the move runs cuts another node off from the rest. The heal restores the network
   * and waits until the move has finished. Needs more nodes than replicas per shard.
   */
  public static Fault replicaMoveUnderPartition() {
    return Fault.of("replica-move", (cluster, random) -> {
      ClusterMap map = cluster.clusterMap(0);
      ShardInfo shard = map.getShards(random.nextInt(map.getShardsCount()));
      List<String> spare = new ArrayList<>(map.getNodesList().stream().map(NodeInfo::getId)
          .filter(id -> !shard.getReplicasList().contains(id)).toList());
      if (spare.isEmpty()) {
        throw new IllegalStateException("replica-move needs more nodes than replicas per shard; shard " + shard.getId()
            + " is on every node " + shard.getReplicasList());
      }
      var leader = cluster.leaderOf(shard.getId());
      String from = random.nextBoolean() && leader.isPresent() ? cluster.node(leader.getAsInt()).nodeId()
          : shard.getReplicas(random.nextInt(shard.getReplicasCount()));
      String to = spare.get(random.nextInt(spare.size()));
      cluster.moveReplica(0, shard.getId(), from, to, false);
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (!cluster.node(i).nodeId().equals(to)) {
          others.add(i);
        }
      }
      int cut = others.get(random.nextInt(others.size()));
      cluster.network().isolate(cut + 1, cluster.size());
      return new Fault.Injected("moving shard " + shard.getId() + "'s replica from " + from + " to " + to + " while "
          + cluster.node(cut).nodeId() + " is cut off from the other nodes", () -> {
            cluster.network().heal();
            cluster.moveReplica(0, shard.getId(), from, to, true);
          }, () -> "the move finished; shard " + shard.getId() + " is on "
              + cluster.clusterMap(0).getShardsList().stream().filter(s -> s.getId() == shard.getId()).findFirst()
              .map(ShardInfo::getReplicasList).orElseThrow());
    });
  }

  /**
   * Removes a random node (Admin/RemoveNode: its replicas move to the others, one membership
   * change per shard, and it hands over a meta seat); the heal waits until the map forgot it, then
   * starts the process again, which joins as a new node, and rebalances until replicas and
   * preferred leaders are spread within one of each other. Needs more nodes than replicas per shard.
   */
  public static Fault nodeRemovedThenAddedBack() {
    return Fault.of("node-change", (cluster, random) -> {
      int victim = random.nextInt(cluster.size());
      String id = cluster.node(victim).nodeId();
      int ask = (victim + 1) % cluster.size();
      int moves = (int) cluster.removeNode(ask, id).getShardsList().stream()
          .filter(s -> s.hasMove() && s.getMove().getFromNodeId().equals(id)).count();
      return new Fault.Injected("removing node " + id + " (" + moves + " replicas move to the others); on heal started "
          + "again, joins as a new node, rebalanced", () -> {
            ClusterMaps.await(cluster, "the map to forget " + id, NODE_CHANGE_TIMEOUT,
                m -> m.getNodesList().stream().noneMatch(n -> n.getId().equals(id)));
            cluster.processes().killNode(victim);
            cluster.processes().restartNode(victim);
            ClusterMaps.await(cluster, id + " to join again", NODE_CHANGE_TIMEOUT,
                m -> m.getNodesList().stream().anyMatch(n -> n.getId().equals(id)));
            for (int round = 0; round < 4; round++) {
              int planned = cluster.rebalanceReplicas(ClusterMaps.anyAnswering(cluster));
              ClusterMaps.await(cluster, "the rebalance moves to finish", NODE_CHANGE_TIMEOUT,
                  m -> m.getShardsList().stream().noneMatch(ShardInfo::hasMove));
              if (planned == 0) {
                break;
              }
            }
          }, () -> "replicas per node now " + replicasPerNode(ClusterMaps.anyMap(cluster)));
    });
  }

  private static Map<String, Integer> replicasPerNode(ClusterMap map) {
    Map<String, Integer> counts = new TreeMap<>();
    map.getNodesList().forEach(n -> counts.put(n.getId(), 0));
    map.getShardsList().forEach(s -> s.getReplicasList().forEach(n -> counts.merge(n, 1, Integer::sum)));
    return counts;
  }
}
