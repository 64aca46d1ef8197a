package ringkv.router;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Places {@code R} replicas of every shard on distinct nodes, and changes a placement incrementally
 * when a node joins or leaves.
 *
 * <p><b>Evenness.</b> Replica counts per node differ by at most one after {@link #initial} and
 * {@link #nodeAdded}; after {@link #nodeRemoved} they are as even as any placement that only moves
 * the removed node's replicas can be (which in practice is again at most one apart). Preferred
 * leaders (the first replica of each shard) are then spread as evenly as the replica sets allow, by
 * moving leadership among each shard's existing replicas, which copies no data ({@link
 * Rebalancer}).
 *
 * <p><b>Ties</b> between equally loaded nodes go to the node with the lowest rendezvous score
 * {@code murmur3_x64_128('R', int32 shard, UTF-8 node id)} (then the lowest node id), so that
 * shards with the same load picture still spread over different nodes.
 *
 * <p>Every method is a pure function of its arguments: deterministic, no I/O, clock or randomness.
 * The class is stateless and thread-safe.
 */
public final class ReplicaPlacer {
  private static final HashFunction SCORE_HASH = Hashing.murmur3_128();

  private ReplicaPlacer() {}

  /**
   * A fresh placement of {@code shards} on {@code nodes} with {@code replicationFactor} replicas
   * each. Shards are placed in ascending order, each on the {@code R} nodes holding the fewest
   * replicas so far; replica counts end at most one apart.
   *
   * @throws IllegalArgumentException if {@code replicationFactor < 1} or exceeds the node count
   */
  public static ReplicaPlacement initial(
      Set<ShardId> shards, Set<NodeId> nodes, int replicationFactor) {
    requireFactorFits(replicationFactor, nodes.size());
    List<NodeId> nodeList = List.copyOf(new TreeSet<>(nodes));
    List<ShardId> shardList = List.copyOf(new TreeSet<>(shards));
    int[] replicaCount = new int[nodeList.size()];
    int[] leaderCount = new int[nodeList.size()];
    int[][] slots = new int[shardList.size()][];
    for (int s = 0; s < shardList.size(); s++) {
      long[] score = scores(shardList.get(s), nodeList);
      Integer[] candidates = byLoadThenScore(nodeList.size(), replicaCount, score);
      int[] chosen = new int[replicationFactor];
      for (int r = 0; r < replicationFactor; r++) {
        chosen[r] = candidates[r];
        replicaCount[chosen[r]]++;
      }
      int leaderSlot = 0;
      for (int r = 1; r < replicationFactor; r++) {
        int a = chosen[r];
        int b = chosen[leaderSlot];
        if (leaderCount[a] < leaderCount[b]
            || (leaderCount[a] == leaderCount[b] && Long.compareUnsigned(score[a], score[b]) < 0)) {
          leaderSlot = r;
        }
      }
      leaderCount[chosen[leaderSlot]]++;
      slots[s] = withFirst(chosen, leaderSlot);
    }
    balanceLeaders(slots, nodeList.size());
    return toPlacement(replicationFactor, nodeList, shardList, slots);
  }

  /**
   * Adds {@code node}: replicas move only onto it, one at a time from the node with the most
   * replicas (lowest id on a tie), until no node holds two more than it. The donor gives the shard,
   * among those not yet on {@code node}, with the lowest rendezvous score for {@code node}; the new
   * replica takes the donor's place in the list, so it becomes preferred leader where the donor
   * was. Leaders are then rebalanced.
   *
   * @throws IllegalArgumentException if {@code node} is already in {@code previous}
   */
  public static PlacementChange nodeAdded(ReplicaPlacement previous, NodeId node) {
    if (previous.nodes().contains(node)) {
      throw new IllegalArgumentException(
          "cannot add " + node + ": it is already one of the nodes " + previous.nodes());
    }
    SortedSet<NodeId> all = new TreeSet<>(previous.nodes());
    all.add(node);
    List<NodeId> nodeList = List.copyOf(all);
    List<ShardId> shardList = List.copyOf(previous.shards());
    int[][] slots = toSlots(previous, nodeList, shardList);
    int fresh = nodeList.indexOf(node);
    int[] count = replicaCounts(slots, nodeList.size());
    int moves = 0;
    while (true) {
      int donor = mostLoaded(count, fresh);
      if (donor < 0 || count[donor] - count[fresh] <= 1) {
        break;
      }
      int best = -1;
      long bestScore = 0;
      for (int s = 0; s < slots.length; s++) {
        if (indexOf(slots[s], donor) >= 0 && indexOf(slots[s], fresh) < 0) {
          long score = score(shardList.get(s), node);
          if (best < 0 || Long.compareUnsigned(score, bestScore) < 0) {
            best = s;
            bestScore = score;
          }
        }
      }
      slots[best][indexOf(slots[best], donor)] = fresh;
      count[donor]--;
      count[fresh]++;
      moves++;
    }
    balanceLeaders(slots, nodeList.size());
    ReplicaPlacement placement =
        toPlacement(previous.replicationFactor(), nodeList, shardList, slots);
    return PlacementChange.of(placement, moves, leaderChanges(previous, placement));
  }

  /**
   * Removes {@code node}: only its replicas move, each to a node that does not hold the shard yet,
   * the emptiest first (then by rendezvous score); the assignment is then evened out among those
   * replicas alone, and the new replica takes the removed node's place in the list. Leaders are
   * then rebalanced.
   *
   * @throws IllegalArgumentException if {@code node} is not in {@code previous}, or if fewer than
   *     {@code R} nodes would be left
   */
  public static PlacementChange nodeRemoved(ReplicaPlacement previous, NodeId node) {
    if (!previous.nodes().contains(node)) {
      throw new IllegalArgumentException(
          "cannot remove " + node + ": it is not one of the nodes " + previous.nodes());
    }
    int factor = previous.replicationFactor();
    if (previous.nodes().size() - 1 < factor) {
      throw new IllegalArgumentException(
          "cannot remove "
              + node
              + ": replication factor R="
              + factor
              + " needs "
              + factor
              + " nodes and only "
              + (previous.nodes().size() - 1)
              + " would be left");
    }
    SortedSet<NodeId> remaining = new TreeSet<>(previous.nodes());
    remaining.remove(node);
    List<NodeId> nodeList = List.copyOf(remaining);
    List<ShardId> shardList = List.copyOf(previous.shards());
    List<NodeId> withRemoved = new ArrayList<>(nodeList);
    withRemoved.add(node);
    int gone = nodeList.size();
    int[][] slots = toSlots(previous, withRemoved, shardList);
    int[] count = Arrays.copyOf(replicaCounts(slots, withRemoved.size()), nodeList.size());
    List<Integer> orphans = new ArrayList<>();
    for (int s = 0; s < slots.length; s++) {
      if (indexOf(slots[s], gone) >= 0) {
        orphans.add(s);
      }
    }
    int[] assignment = new int[orphans.size()];
    int[][] allowed = new int[orphans.size()][];
    for (int i = 0; i < orphans.size(); i++) {
      int[] shardSlots = slots[orphans.get(i)];
      long[] score = scores(shardList.get(orphans.get(i)), nodeList);
      allowed[i] =
          Arrays.stream(byLoadThenScore(nodeList.size(), new int[nodeList.size()], score))
              .mapToInt(Integer::intValue)
              .filter(n -> indexOf(shardSlots, n) < 0)
              .toArray();
      int target = allowed[i][0];
      for (int n : allowed[i]) {
        if (count[n] < count[target]) {
          target = n;
        }
      }
      assignment[i] = target;
      count[target]++;
    }
    Rebalancer.balance(count, assignment, allowed);
    for (int i = 0; i < orphans.size(); i++) {
      int[] shardSlots = slots[orphans.get(i)];
      shardSlots[indexOf(shardSlots, gone)] = assignment[i];
    }
    balanceLeaders(slots, nodeList.size());
    ReplicaPlacement placement = toPlacement(factor, nodeList, shardList, slots);
    return PlacementChange.of(placement, orphans.size(), leaderChanges(previous, placement));
  }

  /** Moves preferred leadership within each shard's replicas until leader counts are even. */
  private static void balanceLeaders(int[][] slots, int nodeCount) {
    int[] leaderCount = new int[nodeCount];
    int[] leader = new int[slots.length];
    for (int s = 0; s < slots.length; s++) {
      leader[s] = slots[s][0];
      leaderCount[leader[s]]++;
    }
    Rebalancer.balance(leaderCount, leader, slots.clone());
    for (int s = 0; s < slots.length; s++) {
      slots[s] = withFirst(slots[s], indexOf(slots[s], leader[s]));
    }
  }

  private static void requireFactorFits(int replicationFactor, int nodeCount) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor must be >= 1, got " + replicationFactor);
    }
    if (replicationFactor > nodeCount) {
      throw new IllegalArgumentException(
          "replicationFactor R="
              + replicationFactor
              + " exceeds the node count "
              + nodeCount
              + "; every replica of a shard needs its own node");
    }
  }

  private static long score(ShardId shard, NodeId node) {
    return SCORE_HASH
        .newHasher()
        .putByte((byte) 'R')
        .putInt(shard.value())
        .putString(node.value(), StandardCharsets.UTF_8)
        .hash()
        .asLong();
  }

  private static long[] scores(ShardId shard, List<NodeId> nodes) {
    long[] score = new long[nodes.size()];
    for (int n = 0; n < score.length; n++) {
      score[n] = score(shard, nodes.get(n));
    }
    return score;
  }

  /** Node indexes by ascending load, then unsigned score, then index. */
  private static Integer[] byLoadThenScore(int nodeCount, int[] load, long[] score) {
    Integer[] order = new Integer[nodeCount];
    for (int n = 0; n < nodeCount; n++) {
      order[n] = n;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingInt(n -> load[n])
            .thenComparing((a, b) -> Long.compareUnsigned(score[a], score[b]))
            .thenComparingInt(n -> n));
    return order;
  }

  private static int mostLoaded(int[] count, int except) {
    int best = -1;
    for (int n = 0; n < count.length; n++) {
      if (n != except && (best < 0 || count[n] > count[best])) {
        best = n;
      }
    }
    return best;
  }

  private static int[] replicaCounts(int[][] slots, int nodeCount) {
    int[] count = new int[nodeCount];
    for (int[] shardSlots : slots) {
      for (int n : shardSlots) {
        count[n]++;
      }
    }
    return count;
  }

  private static int indexOf(int[] values, int wanted) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** {@code values} with the element at {@code index} moved to the front, the rest in order. */
  private static int[] withFirst(int[] values, int index) {
    int[] result = new int[values.length];
    result[0] = values[index];
    for (int i = 0, k = 1; i < values.length; i++) {
      if (i != index) {
        result[k++] = values[i];
      }
    }
    return result;
  }

  private static int[][] toSlots(
      ReplicaPlacement placement, List<NodeId> nodeList, List<ShardId> shardList) {
    int[][] slots = new int[shardList.size()][];
    for (int s = 0; s < shardList.size(); s++) {
      slots[s] =
          placement.replicasOf(shardList.get(s)).stream().mapToInt(nodeList::indexOf).toArray();
    }
    return slots;
  }

  private static ReplicaPlacement toPlacement(
      int factor, List<NodeId> nodeList, List<ShardId> shardList, int[][] slots) {
    Map<ShardId, List<NodeId>> replicas = new LinkedHashMap<>();
    for (int s = 0; s < slots.length; s++) {
      replicas.put(shardList.get(s), Arrays.stream(slots[s]).mapToObj(nodeList::get).toList());
    }
    return ReplicaPlacement.of(factor, Set.copyOf(nodeList), replicas);
  }

  private static int leaderChanges(ReplicaPlacement before, ReplicaPlacement after) {
    int changes = 0;
    for (ShardId shard : after.shards()) {
      if (!before.preferredLeaderOf(shard).equals(after.preferredLeaderOf(shard))) {
        changes++;
      }
    }
    return changes;
  }
}
