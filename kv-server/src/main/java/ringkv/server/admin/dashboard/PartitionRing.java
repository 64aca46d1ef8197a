package ringkv.server.admin.dashboard;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partition ring as the dashboard draws it: every partition sits at its ring position, the
 * one {@code BoundedLoadAssigner} places it from (kv-router's {@code HashRing}: murmur3_128 of the
 * byte {@code 'P'} then the int32 partition, as an unsigned 64-bit position), and owns the arc up
 * to the next partition's position. Neighbouring partitions of one shard merge into one arc, so the
 * ring shows which shard owns which stretch, about {@code P / (S * V)} partitions per arc.
 *
 * <p>An arc is {@code [start, end, shard, partitions]} with start and end as fractions of the
 * circle; the last arc ends past 1 (it wraps to the first position).
 */
final class PartitionRing {
  private static final HashFunction RING_HASH = Hashing.murmur3_128();

  private PartitionRing() {}

  static List<List<Number>> arcs(List<Integer> assignment) {
    int count = assignment.size();
    if (count == 0) {
      return List.of();
    }
    double[] position = new double[count];
    Integer[] order = new Integer[count];
    for (int p = 0; p < count; p++) {
      long raw = RING_HASH.newHasher().putByte((byte) 'P').putInt(p).hash().asLong();
      // unsigned 64-bit position -> [0, 1): the top 53 bits are exact in a double
      position[p] = (raw >>> 11) / (double) (1L << 53);
      order[p] = p;
    }
    Arrays.sort(order, Comparator.comparingDouble(p -> position[p]));
    List<List<Number>> arcs = new ArrayList<>();
    int i = 0;
    while (i < count) {
      int shard = assignment.get(order[i]);
      int j = i;
      while (j + 1 < count && assignment.get(order[j + 1]) == shard) {
        j++;
      }
      double start = position[order[i]];
      double end = j + 1 < count ? position[order[j + 1]] : position[order[0]] + 1;
      arcs.add(List.of(round(start), round(end), shard, j - i + 1));
      i = j + 1;
    }
    return arcs;
  }

  /** Partitions per shard id, from the assignment. */
  static Map<Integer, Integer> loads(List<Integer> assignment) {
    Map<Integer, Integer> loads = new LinkedHashMap<>();
    for (int shard : assignment) {
      loads.merge(shard, 1, Integer::sum);
    }
    return loads;
  }

  private static double round(double fraction) {
    return Math.round(fraction * 1e6) / 1e6;
  }
}
