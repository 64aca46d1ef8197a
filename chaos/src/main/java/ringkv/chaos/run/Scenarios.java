package ringkv.chaos.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ringkv.chaos.fault.Fault;
import ringkv.chaos.fault.MembershipFaults;
import ringkv.chaos.fault.NetworkFaults;
import ringkv.chaos.fault.ProcessFaults;
import ringkv.chaos.fault.ReshardFaults;

/**
 * The scenario catalogue of {@code bin/ringkv-chaos}: one per fault of the menu, and
 * {@code mixed}, which picks from all of them. Holds are longer than the chaos cluster's election
 * timeout (1.5-3 s) so that every fault can cost a leader.
 */
public final class Scenarios {
  private static final Duration HOLD_MIN = Duration.ofSeconds(4);
  private static final Duration HOLD_MAX = Duration.ofSeconds(8);
  /** Replicas per shard of the chaos cluster. */
  private static final int REPLICATION = 3;

  private Scenarios() {}

  /**
   * Every scenario by name, in the order {@code all} runs them. {@code replica-move} needs a node
   * that holds no replica of a shard, so it is offered only when {@code nodes} exceeds the
   * replication of 3.
   */
  public static Map<String, Scenario> catalogue(int shards, int nodes) {
    List<Scenario> single = new ArrayList<>();
    single.add(one(NetworkFaults.leaderPartition(shards), "a shard leader cut off from the other nodes"));
    single.add(one(NetworkFaults.majorityMinoritySplit(), "the nodes split into a minority and a majority"));
    single.add(one(NetworkFaults.metaLeaderIsolation(), "the meta group's leader cut off from the other nodes"));
    single.add(one(NetworkFaults.oneWayLoss(shards), "a shard leader's outgoing bytes lost, its incoming ones delivered"));
    single.add(one(NetworkFaults.latency(), "latency with jitter on every node-to-node link"));
    single.add(one(NetworkFaults.bandwidth(), "every node-to-node link squeezed to tens of KB/s"));
    single.add(one(NetworkFaults.connectionResets(), "a share of all connections reset (TCP RST)"));
    single.add(one(ProcessFaults.killAndRestart(shards), "kill -9 of a node (mostly leaders), restarted on its data"));
    single.add(one(ProcessFaults.pause(shards), "SIGSTOP of a shard leader for longer than an election timeout"));
    single.add(one(ProcessFaults.leaderTransferStorm(shards, Duration.ofMillis(700)), "leaderships moved again and again"));
    if (nodes > REPLICATION) {
      single.add(one(MembershipFaults.replicaMoveUnderPartition(), "a replica moved to another node while a node is cut off"));
      single.add(one(MembershipFaults.nodeRemovedThenAddedBack(),
          "a node removed (its replicas move away), started again, joins as a new node, rebalanced"));
    }
    Map<String, Scenario> all = new LinkedHashMap<>();
    single.forEach(s -> all.put(s.name(), s));
    List<Fault> everything = single.stream().flatMap(s -> s.menu().stream()).toList();
    all.put("mixed", new Scenario("mixed", "any fault of the menu, one at a time", everything, HOLD_MIN, HOLD_MAX));
    // not in mixed: the other faults pick victims by the starting shard ids, which a reshard changes
    all.put("reshard", one(ReshardFaults.reshardWithKills(2, 5),
        "shards added and removed (2 to 5) under load, a source, target or meta leader killed mid-copy"));
    return all;
  }

  private static Scenario one(Fault fault, String summary) {
    return new Scenario(fault.name(), summary, List.of(fault), HOLD_MIN, HOLD_MAX);
  }
}
