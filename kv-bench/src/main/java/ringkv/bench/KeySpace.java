package ringkv.bench;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Keys {@code key0000...0} to {@code key<keys-1>}, zero-padded to {@code keySize} bytes, and the
 * rule that picks one per operation. Thread-safe; each thread passes its own random source.
 */
final class KeySpace {
  private final long keys;
  private final int keySize;
  private final KeyDistribution distribution;
  private final @Nullable ZipfianGenerator zipfian;

  KeySpace(long keys, int keySize, KeyDistribution distribution) {
    this.keys = keys;
    this.keySize = keySize;
    this.distribution = distribution;
    this.zipfian = distribution == KeyDistribution.ZIPFIAN ? new ZipfianGenerator(keys) : null;
  }

  long size() {
    return keys;
  }

  long nextIndex(RandomGenerator random) {
    return zipfian != null ? zipfian.next(random) : random.nextLong(keys);
  }

  ByteString key(long index) {
    String digits = Long.toString(index);
    StringBuilder sb = new StringBuilder(keySize).append(BenchSettings.KEY_PREFIX);
    for (int i = BenchSettings.KEY_PREFIX.length() + digits.length(); i < keySize; i++) {
      sb.append('0');
    }
    return ByteString.copyFrom(sb.append(digits).toString(), StandardCharsets.US_ASCII);
  }

  /** A value of {@code size} printable bytes that differs per {@code seed}. */
  static ByteString value(int size, long seed) {
    byte[] bytes = new byte[size];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      bytes[i] = (byte) ('a' + Math.floorMod(x, 26));
    }
    return ByteString.copyFrom(bytes);
  }
}
