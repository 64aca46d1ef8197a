package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * The order of keys: unsigned lexicographic, a prefix before the longer keys it starts (the
 * order of {@link ByteString#unsignedLexicographicalComparator()}, etcd's and TiKV's order).
 *
 * <p>Why not protobuf's comparator: it walks both keys with boxed-int iterators, and the skip
 * lists of the store compare keys a dozen times per write; under write load that comparator
 * was over half of the apply thread's time (docs/benchmarks.md, "Making it fast"). This one
 * compares byte by byte with no allocation.
 */
public final class KeyOrder {
  public static final Comparator<ByteString> UNSIGNED = KeyOrder::compare;

  private KeyOrder() {}

  public static int compare(ByteString a, ByteString b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      int difference = Byte.toUnsignedInt(a.byteAt(i)) - Byte.toUnsignedInt(b.byteAt(i));
      if (difference != 0) {
        return difference;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
