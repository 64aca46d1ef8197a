package ringkv.chaos.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import ringkv.chaos.cluster.ChaosCluster;

/** Choosing whom a fault hits: leaders when the cluster can say who leads, a random node otherwise. */
final class Victims {
  private Victims() {}

  /** Node index (0-based) of the leader of a random shard, or a random node if that shard has none now. */
  static int shardLeader(ChaosCluster cluster, Random random, int shards) {
    int shard = random.nextInt(shards);
    OptionalInt leader = cluster.leaderOf(shard);
    return leader.isPresent() ? leader.getAsInt() : random.nextInt(cluster.size());
  }

  /** Node index of the meta group's leader, or a random node. */
  static int metaLeader(ChaosCluster cluster, Random random) {
    OptionalInt leader = cluster.metaLeader();
    return leader.isPresent() ? leader.getAsInt() : random.nextInt(cluster.size());
  }

  /** Node indexes in a seeded random order. */
  static List<Integer> shuffled(ChaosCluster cluster, Random random) {
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      nodes.add(i);
    }
    java.util.Collections.shuffle(nodes, random);
    return nodes;
  }

  static String name(ChaosCluster cluster, int index) {
    return cluster.node(index).nodeId();
  }
}
