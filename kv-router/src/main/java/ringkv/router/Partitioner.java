package ringkv.router;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;

/**
 * Maps a key to one of {@code partitionCount} fixed partitions:
 * {@code murmur3_32(hashKey) mod P}, read as an unsigned 32-bit number.
 *
 * <p>{@code hashKey} is the whole key, or only the bytes between the first <code>{</code> and the
 * first <code>}</code> after it when that part is not empty (Redis Cluster hash tags), so that
 * <code>{user42}:cart</code> and <code>{user42}:profile</code> share a partition.
 *
 * <p>Pure and thread-safe; every client and node must compute the same partition for the same
 * key, so the function is fixed by the golden vectors in the tests.
 */
public final class Partitioner {
  /** The default number of partitions of a new cluster. */
  public static final int DEFAULT_PARTITION_COUNT = 1024;

  private static final HashFunction MURMUR3 = Hashing.murmur3_32_fixed();

  private final int partitionCount;

  /**
   * A partitioner for {@code partitionCount} partitions.
   *
   * @throws IllegalArgumentException if {@code partitionCount < 1}
   */
  public Partitioner(int partitionCount) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partitionCount must be >= 1, got " + partitionCount);
    }
    this.partitionCount = partitionCount;
  }

  /** {@code P}, the number of partitions. */
  public int partitionCount() {
    return partitionCount;
  }

  /** The partition of {@code key}, in {@code [0, partitionCount)}. */
  public int partitionOf(ByteString key) {
    ByteString hashKey = hashKeyOf(key);
    int hash = MURMUR3.hashBytes(hashKey.toByteArray()).asInt();
    return (int) (Integer.toUnsignedLong(hash) % partitionCount);
  }

  /** The part of the key that is hashed: the first non-empty {@code {tag}}, else the key. */
  public static ByteString hashKeyOf(ByteString key) {
    int open = indexOf(key, (byte) '{', 0);
    if (open < 0) {
      return key;
    }
    int close = indexOf(key, (byte) '}', open + 1);
    if (close < 0 || close == open + 1) {
      return key;
    }
    return key.substring(open + 1, close);
  }

  private static int indexOf(ByteString bytes, byte wanted, int from) {
    for (int i = from; i < bytes.size(); i++) {
      if (bytes.byteAt(i) == wanted) {
        return i;
      }
    }
    return -1;
  }
}
