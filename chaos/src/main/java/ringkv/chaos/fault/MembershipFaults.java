package ringkv.chaos.fault;

import java.util.ArrayList;
import java.util.List;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardInfo;

/** Faults that change who holds the data: replica moves (Raft membership changes) while the network breaks. */
public final class MembershipFaults {
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
}
