package ringkv.chaos.fault;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import ringkv.chaos.cluster.ChaosCluster;

/** The faults made of proxies: partitions, one-way loss, latency, bandwidth, connection resets. */
public final class NetworkFaults {
  private NetworkFaults() {}

  /** Cuts the leader of a random shard off from every other node (clients still reach it). */
  public static Fault leaderPartition(int shards) {
    return fault("leader-partition", (cluster, random) -> {
      int leader = Victims.shardLeader(cluster, random, shards);
      cluster.network().isolate(leader + 1, cluster.size());
      return "isolated " + Victims.name(cluster, leader) + " (a shard leader) from the other nodes";
    });
  }

  /** Splits the nodes into a random minority and majority. */
  public static Fault majorityMinoritySplit() {
    return fault("split", (cluster, random) -> {
      List<Integer> order = Victims.shuffled(cluster, random);
      int minoritySize = (cluster.size() - 1) / 2;
      Set<Integer> minority = new TreeSet<>();
      Set<Integer> majority = new TreeSet<>();
      for (int i = 0; i < order.size(); i++) {
        (i < minoritySize ? minority : majority).add(order.get(i) + 1);
      }
      cluster.network().partition(List.of(minority, majority));
      return "split nodes " + names(cluster, minority) + " | " + names(cluster, majority);
    });
  }

  /** Cuts the meta group's leader off from every other node. */
  public static Fault metaLeaderIsolation() {
    return fault("meta-leader", (cluster, random) -> {
      int leader = Victims.metaLeader(cluster, random);
      cluster.network().isolate(leader + 1, cluster.size());
      return "isolated " + Victims.name(cluster, leader) + " (the meta leader) from the other nodes";
    });
  }

  /** A shard leader's bytes to every other node are lost; theirs still reach it. */
  public static Fault oneWayLoss(int shards) {
    return fault("one-way-loss", (cluster, random) -> {
      int leader = Victims.shardLeader(cluster, random, shards);
      for (int other = 0; other < cluster.size(); other++) {
        if (other != leader) {
          cluster.network().dropOneWay(leader + 1, other + 1);
        }
      }
      return "dropped everything " + Victims.name(cluster, leader) + " (a shard leader) sends to the other nodes";
    });
  }

  /** Latency with jitter on every node-to-node link. */
  public static Fault latency() {
    return fault("latency", (cluster, random) -> {
      long latency = 20 + random.nextInt(130);
      long jitter = latency / 2;
      cluster.network().latency(latency, jitter);
      return "added " + latency + " ms ± " + jitter + " ms to every node-to-node link, both ways";
    });
  }

  /** Squeezes every node-to-node link to a few tens of KB/s. */
  public static Fault bandwidth() {
    return fault("bandwidth", (cluster, random) -> {
      long rate = 16 + random.nextInt(48);
      cluster.network().bandwidth(rate);
      return "limited every node-to-node link to " + rate + " KB/s each way";
    });
  }

  /** Resets (TCP RST) a share of the connections on every link, clients' included. */
  public static Fault connectionResets() {
    return fault("resets", (cluster, random) -> {
      float toxicity = 0.2f + random.nextFloat() * 0.4f;
      cluster.network().resetConnections(toxicity);
      return String.format("reset %.0f%% of connections on every link at their first bytes", toxicity * 100);
    });
  }

  private static String names(ChaosCluster cluster, Set<Integer> numbers) {
    return numbers.stream().map(n -> Victims.name(cluster, n - 1)).toList().toString();
  }

  /** A network fault: whatever it breaks, {@code /reset} of the proxies heals. */
  private static Fault fault(String name, BiFunction<ChaosCluster, Random, String> breaker) {
    return Fault.of(name, (cluster, random) -> new Fault.Injected(breaker.apply(cluster, random), () -> cluster.network().heal()));
  }
}
