package ringkv.chaos.fault;

import java.time.Duration;
import java.util.function.Predicate;
import ringkv.api.v1.ClusterMap;
import ringkv.chaos.cluster.ChaosCluster;

/** Reading the cluster map while faults run: from whichever node answers, and waiting for a state of it. */
final class ClusterMaps {
  private ClusterMaps() {}

  /** Polls the map every 50 ms until {@code done} holds; fails after {@code timeout} with the last map seen. */
  static ClusterMap await(ChaosCluster cluster, String what, Duration timeout, Predicate<ClusterMap> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ClusterMap last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = anyMap(cluster);
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // a node restarting or the meta group electing: ask again
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; last map: "
        + (last == null ? "none" : last.getPartitionMovesCount() + " moves left, shards "
            + last.getShardsList().stream().map(s -> s.getId() + (s.getRemoving() ? " (removing)" : "")).toList()));
  }

  /** The map as the first running node that answers reads it. */
  static ClusterMap anyMap(ChaosCluster cluster) {
    RuntimeException last = null;
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.node(i).isRunning()) {
        try {
          return cluster.clusterMap(i);
        } catch (RuntimeException e) {
          last = e;
        }
      }
    }
    throw last != null ? last : new IllegalStateException("no node is running");
  }

  /**
   * A running node that answers Admin calls now. A node restarted by the previous heal runs but
   * may not listen yet (a fresh-clone CI run sent RemoveShard to one and got "connection refused").
   */
  static int anyAnswering(ChaosCluster cluster) {
    RuntimeException last = null;
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.node(i).isRunning()) {
        try {
          cluster.clusterMap(i);
          return i;
        } catch (RuntimeException e) {
          last = e;
        }
      }
    }
    throw last != null ? last : new IllegalStateException("no node is running");
  }
}
