package ringkv.cli;

import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RebalanceReplicasResponse;
import ringkv.api.v1.ShardInfo;

/**
 * Rounds of {@code Admin/RebalanceReplicas} until the replicas are spread evenly: shared by {@code
 * node rebalance} and {@code node add}. The meta group plans at most one replica move per shard at
 * a time, so one call may not be enough; each round waits until the map shows no replica move in
 * flight, and the round that plans none ends it.
 */
final class ReplicaRebalance {
  private static final RebalanceReplicasRequest REQUEST =
      RebalanceReplicasRequest.getDefaultInstance();

  /**
   * @param map the last map read (or the answer's, with --no-wait)
   * @param rounds RebalanceReplicas calls made
   * @param replicaMoves moves the rounds planned
   * @param balanced the last round planned nothing and no move is in flight
   */
  record Outcome(ClusterMap map, int rounds, int replicaMoves, boolean balanced) {}

  private ReplicaRebalance() {}

  /** With {@code noWait}, one round that returns once its moves are planned. */
  static Outcome run(KvctlMain root, MapWait wait, boolean noWait) {
    int moves = 0;
    for (int round = 1; ; round++) {
      RebalanceReplicasResponse response =
          ClusterCommand.firstAnswerToPlan(
              root,
              (admin, endpoint, timeout) -> admin.rebalanceReplicas(endpoint, REQUEST, timeout));
      moves += response.getReplicaMoves();
      ClusterMap map = response.getMap();
      // moves in flight that this round did not plan (a node removal) also keep it from balance
      boolean balanced = response.getReplicaMoves() == 0 && movesInFlight(map) == 0;
      if (noWait || balanced) {
        return new Outcome(map, round, moves, balanced);
      }
      WaitProgress progress =
          WaitProgress.moves(
              "rebalance round " + round,
              "replicas",
              movesInFlight(map),
              ReplicaRebalance::movesInFlight);
      wait.until(map, m -> movesInFlight(m) == 0, progress);
    }
  }

  static int movesInFlight(ClusterMap map) {
    return (int) map.getShardsList().stream().filter(ShardInfo::hasMove).count();
  }
}
