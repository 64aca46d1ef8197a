package ringkv.router;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Evens out how many items each node carries, where every item may sit only on some nodes: the
 * semi-matching problem (Harvey, Ladner, Lovász, Tamir, "Semi-matchings for bipartite graphs and
 * load balancing", 2006).
 *
 * <p>It repeatedly looks for a path from a most loaded node {@code u} to a node {@code w} with
 * {@code load(w) <= load(u) - 2}, in which each step moves one item from its node to another node
 * it may sit on, and shifts the items along it. Each shift lowers the sum of squared loads, so this
 * ends; when no such path is left, the assignment is optimal (the largest load is as small as it
 * can be, and so on), so max - min {@code <= 1} whenever any assignment achieves that. Nodes and
 * items are visited in index order, so the result is deterministic. Stateless.
 */
final class Rebalancer {
  private Rebalancer() {}

  /**
   * Rebalances in place.
   *
   * @param load per node, the fixed load plus the items currently assigned to it; updated
   * @param assignment per item, the node it sits on; updated
   * @param allowed per item, the nodes it may sit on, in order of preference
   * @return the number of item moves made (an item moved twice counts twice)
   */
  static int balance(int[] load, int[] assignment, int[][] allowed) {
    int moves = 0;
    boolean improved = true;
    while (improved) {
      improved = false;
      Integer[] byLoad = new Integer[load.length];
      for (int n = 0; n < load.length; n++) {
        byLoad[n] = n;
      }
      Arrays.sort(byLoad, (a, b) -> load[a] != load[b] ? load[b] - load[a] : a - b);
      for (int start : byLoad) {
        int shifted = shiftAlongPath(start, load, assignment, allowed);
        if (shifted > 0) {
          moves += shifted;
          improved = true;
          break;
        }
      }
    }
    return moves;
  }

  /** Finds and applies one improving path from {@code start}; returns its length, 0 if none. */
  private static int shiftAlongPath(int start, int[] load, int[] assignment, int[][] allowed) {
    int[] viaItem = new int[load.length];
    int[] fromNode = new int[load.length];
    Arrays.fill(viaItem, -1);
    boolean[] seen = new boolean[load.length];
    seen[start] = true;
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (int item = 0; item < assignment.length; item++) {
        if (assignment[item] != node) {
          continue;
        }
        for (int next : allowed[item]) {
          if (seen[next]) {
            continue;
          }
          seen[next] = true;
          viaItem[next] = item;
          fromNode[next] = node;
          if (load[next] <= load[start] - 2) {
            return shift(next, start, load, assignment, viaItem, fromNode);
          }
          queue.add(next);
        }
      }
    }
    return 0;
  }

  private static int shift(
      int end, int start, int[] load, int[] assignment, int[] viaItem, int[] fromNode) {
    int length = 0;
    for (int node = end; node != start; node = fromNode[node]) {
      assignment[viaItem[node]] = node;
      length++;
    }
    load[start]--;
    load[end]++;
    return length;
  }
}
