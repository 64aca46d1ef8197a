package ringkv.router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the replicas of every shard live: {@code replicas().get(shard)} lists the {@code
 * replicationFactor} distinct nodes of the shard's Raft group, preferred leader first.
 *
 * <p>Immutable and thread-safe. {@code nodes} is kept as an unmodifiable {@link SortedSet} and
 * {@code replicas} as an unmodifiable {@link SortedMap} by shard id, so iteration order is
 * deterministic; it includes nodes that hold no replica.
 *
 * @param replicationFactor {@code R}, replicas per shard, {@code >= 1}
 * @param nodes every node that may hold replicas; at least {@code R} of them; copied in
 * @param replicas for every shard, its {@code R} distinct nodes from {@code nodes}, preferred
 *     leader first; copied in
 */
public record ReplicaPlacement(
    int replicationFactor, Set<NodeId> nodes, Map<ShardId, List<NodeId>> replicas) {

  /** Validates the fields (naming the field and value on failure) and copies them in. */
  public ReplicaPlacement {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor must be >= 1, got " + replicationFactor);
    }
    if (replicationFactor > nodes.size()) {
      throw new IllegalArgumentException(
          "replicationFactor R="
              + replicationFactor
              + " exceeds the node count "
              + nodes.size()
              + "; every replica of a shard needs its own node");
    }
    nodes = Collections.unmodifiableSortedSet(new TreeSet<>(nodes));
    SortedMap<ShardId, List<NodeId>> copy = new TreeMap<>();
    for (Map.Entry<ShardId, List<NodeId>> entry : replicas.entrySet()) {
      List<NodeId> list = List.copyOf(entry.getValue());
      if (list.size() != replicationFactor) {
        throw new IllegalArgumentException(
            "replicas of "
                + entry.getKey()
                + " must list "
                + replicationFactor
                + " nodes, got "
                + list);
      }
      if (new HashSet<>(list).size() != list.size()) {
        throw new IllegalArgumentException(
            "replicas of " + entry.getKey() + " must be on distinct nodes, got " + list);
      }
      if (!nodes.containsAll(list)) {
        throw new IllegalArgumentException(
            "replicas of " + entry.getKey() + " must be on known nodes " + nodes + ", got " + list);
      }
      copy.put(entry.getKey(), list);
    }
    replicas = Collections.unmodifiableSortedMap(copy);
  }

  /** A placement with the given fields (see the record components). */
  public static ReplicaPlacement of(
      int replicationFactor, Set<NodeId> nodes, Map<ShardId, List<NodeId>> replicas) {
    return new ReplicaPlacement(replicationFactor, nodes, replicas);
  }

  /** The shards placed, ascending; unmodifiable. */
  public SortedSet<ShardId> shards() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(replicas.keySet()));
  }

  /**
   * The nodes of {@code shard}, preferred leader first.
   *
   * @throws IllegalArgumentException if {@code shard} is not placed
   */
  public List<NodeId> replicasOf(ShardId shard) {
    List<NodeId> list = replicas.get(shard);
    if (list == null) {
      throw new IllegalArgumentException(shard + " is not placed; placed shards are " + shards());
    }
    return list;
  }

  /**
   * The preferred leader of {@code shard}: the node its group should elect when it can.
   *
   * @throws IllegalArgumentException if {@code shard} is not placed
   */
  public NodeId preferredLeaderOf(ShardId shard) {
    return replicasOf(shard).get(0);
  }

  /** The shards with a replica on {@code node}, ascending. */
  public List<ShardId> shardsOn(NodeId node) {
    List<ShardId> result = new ArrayList<>();
    replicas.forEach(
        (shard, list) -> {
          if (list.contains(node)) {
            result.add(shard);
          }
        });
    return Collections.unmodifiableList(result);
  }

  /** Replicas per node, every node included (0 for an empty one), ascending by node. */
  public Map<NodeId, Integer> replicaCounts() {
    SortedMap<NodeId, Integer> counts = zeroPerNode();
    replicas.values().forEach(list -> list.forEach(node -> counts.merge(node, 1, Integer::sum)));
    return Collections.unmodifiableSortedMap(counts);
  }

  /** Preferred leaders per node, every node included, ascending by node. */
  public Map<NodeId, Integer> leaderCounts() {
    SortedMap<NodeId, Integer> counts = zeroPerNode();
    replicas.values().forEach(list -> counts.merge(list.get(0), 1, Integer::sum));
    return Collections.unmodifiableSortedMap(counts);
  }

  private SortedMap<NodeId, Integer> zeroPerNode() {
    SortedMap<NodeId, Integer> counts = new TreeMap<>();
    nodes.forEach(node -> counts.put(node, 0));
    return counts;
  }
}
