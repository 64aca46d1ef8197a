package ringkv.router;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The 64-bit consistent-hashing ring used by {@link BoundedLoadAssigner}: {@code V} points per
 * shard, and one position per partition.
 *
 * <p>Positions are {@code murmur3_x64_128} (seed 0) of a tagged little-endian byte string, read as
 * the first 8 bytes of the hash as a little-endian unsigned 64-bit number (Guava's {@code
 * HashCode.asLong()}):
 *
 * <ul>
 *   <li>point {@code i} of shard {@code s}: bytes {@code 'S'}, int32 {@code s}, int32 {@code i};
 *   <li>partition {@code p}: bytes {@code 'P'}, int32 {@code p}.
 * </ul>
 *
 * <p>Points are ordered by unsigned position, then shard id, then point index, so equal positions
 * still give one fixed order. "Clockwise from x" means the first point at or after x, wrapping past
 * the top of the ring to the lowest point. Immutable and thread-safe.
 */
final class HashRing {
  private static final HashFunction RING_HASH = Hashing.murmur3_128();

  /** Point positions with the sign bit flipped, so signed order equals unsigned order. */
  private final long[] sortedKeys;

  /** For each point, the index of its shard in the list the ring was built from. */
  private final int[] shardIndexOfPoint;

  private final int shardCount;

  private HashRing(long[] sortedKeys, int[] shardIndexOfPoint, int shardCount) {
    this.sortedKeys = sortedKeys;
    this.shardIndexOfPoint = shardIndexOfPoint;
    this.shardCount = shardCount;
  }

  /**
   * Builds the ring of {@code shards} with {@code pointsPerShard} points each. Shard indexes used
   * by the other methods are positions in {@code shards}.
   */
  static HashRing of(List<ShardId> shards, int pointsPerShard) {
    int n = shards.size() * pointsPerShard;
    long[][] points = new long[n][];
    int k = 0;
    for (int s = 0; s < shards.size(); s++) {
      ShardId shard = shards.get(s);
      for (int i = 0; i < pointsPerShard; i++) {
        points[k++] = new long[] {toKey(pointPosition(shard, i)), shard.value(), i, s};
      }
    }
    Arrays.sort(
        points,
        Comparator.<long[]>comparingLong(p -> p[0])
            .thenComparingLong(p -> p[1])
            .thenComparingLong(p -> p[2]));
    long[] keys = new long[n];
    int[] owners = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = points[i][0];
      owners[i] = (int) points[i][3];
    }
    return new HashRing(keys, owners, shards.size());
  }

  /** The ring position of point {@code index} of {@code shard}. */
  static long pointPosition(ShardId shard, int index) {
    return RING_HASH
        .newHasher()
        .putByte((byte) 'S')
        .putInt(shard.value())
        .putInt(index)
        .hash()
        .asLong();
  }

  /** The ring position of {@code partition}. */
  static long partitionPosition(int partition) {
    return RING_HASH.newHasher().putByte((byte) 'P').putInt(partition).hash().asLong();
  }

  int shardCount() {
    return shardCount;
  }

  /** The index of the first point clockwise from {@code position}. */
  int successorPoint(long position) {
    int found = Arrays.binarySearch(sortedKeys, toKey(position));
    int index;
    if (found >= 0) {
      index = found;
      while (index > 0 && sortedKeys[index - 1] == sortedKeys[index]) {
        index--;
      }
    } else {
      index = -found - 1;
    }
    return index == sortedKeys.length ? 0 : index;
  }

  /** The shard index owning the first point clockwise from {@code position}. */
  int successorShard(long position) {
    return shardIndexOfPoint[successorPoint(position)];
  }

  /**
   * The shard index of the first point clockwise from {@code position} whose shard {@code accept}
   * takes.
   *
   * @throws IllegalStateException if no shard is accepted (a bug in the caller's bookkeeping)
   */
  int firstClockwise(long position, IntPredicate accept) {
    int start = successorPoint(position);
    int n = sortedKeys.length;
    for (int step = 0; step < n; step++) {
      int shard = shardIndexOfPoint[(start + step) % n];
      if (accept.test(shard)) {
        return shard;
      }
    }
    throw new IllegalStateException("no shard on the ring accepts another partition");
  }

  /**
   * The clockwise distance (unsigned, in ring units) from {@code position} to the nearest point of
   * shard index {@code shard}; {@code -1} (all ones) if the shard has no point.
   */
  long clockwiseDistanceToShard(long position, int shard) {
    int start = successorPoint(position);
    int n = sortedKeys.length;
    for (int step = 0; step < n; step++) {
      int point = (start + step) % n;
      if (shardIndexOfPoint[point] == shard) {
        return fromKey(sortedKeys[point]) - position;
      }
    }
    return -1L;
  }

  /**
   * For each shard index, its partitions in the order it gives them to the shard index {@code
   * taker}: those whose ring successor is a point of {@code taker} first, then by clockwise
   * distance to the nearest point of {@code taker}, then by partition number.
   *
   * @param owner the shard index of each partition
   * @param load the number of partitions of each shard index
   */
  int[][] givingOrder(int taker, int[] owner, int[] load) {
    int partitions = owner.length;
    long[] distance = new long[partitions];
    boolean[] falls = new boolean[partitions];
    Integer[] ranked = new Integer[partitions];
    for (int p = 0; p < partitions; p++) {
      long position = partitionPosition(p);
      falls[p] = successorShard(position) == taker;
      distance[p] = clockwiseDistanceToShard(position, taker);
      ranked[p] = p;
    }
    Arrays.sort(
        ranked,
        (a, b) -> {
          if (falls[a] != falls[b]) {
            return falls[a] ? -1 : 1;
          }
          int c = Long.compareUnsigned(distance[a], distance[b]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int[][] queues = new int[load.length][];
    int[] filled = new int[load.length];
    for (int s = 0; s < queues.length; s++) {
      queues[s] = new int[load[s]];
    }
    for (int p : ranked) {
      queues[owner[p]][filled[owner[p]]++] = p;
    }
    return queues;
  }

  private static long toKey(long position) {
    return position ^ Long.MIN_VALUE;
  }

  private static long fromKey(long key) {
    return key ^ Long.MIN_VALUE;
  }
}
