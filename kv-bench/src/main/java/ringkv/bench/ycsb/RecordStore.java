package ringkv.bench.ycsb;

import com.google.protobuf.ByteString;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The few key-value operations a YCSB binding needs, so that {@link RecordStoreDb} runs the same
 * YCSB semantics (encoding, update strategy, scans) over RingKV and over etcd. Implementations
 * are thread-safe and shared by every YCSB thread of the JVM. Every method blocks until the
 * store answered or the binding's deadline passed, and throws the store's own exception on
 * failure; {@link #describe} turns that exception into a gRPC status for the YCSB result.
 */
public interface RecordStore {
  /** A stored value and its version: writes since the key was created, 0 = absent. */
  record Versioned(ByteString value, long version) {
    public Versioned {
      if (version < 1) {
        throw new IllegalArgumentException("version of a stored value must be >= 1, got " + version);
      }
    }
  }

  /**
   * The answer to {@link #putIfVersion}.
   *
   * @param written whether the value was written
   * @param current when not written: the key's value and version that made the comparison fail,
   *     read in the same atomic step (null if the key does not exist)
   */
  record ConditionalPut(boolean written, @Nullable Versioned current) {
    public static final ConditionalPut WRITTEN = new ConditionalPut(true, null);

    public static ConditionalPut lost(@Nullable Versioned current) {
      return new ConditionalPut(false, current);
    }
  }

  /**
   * Why a call failed, for the YCSB status.
   *
   * @param code the gRPC status code name ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, ...)
   * @param detail the store's finer reason and message
   */
  record Failure(String code, String detail) {}

  /** The key's value and version, with the store's configured read consistency; null if absent. */
  @Nullable Versioned get(ByteString key);

  /** Sets the key, whatever it held. */
  void put(ByteString key, ByteString value);

  /**
   * Sets the key only if its version is still {@code expectedVersion} (0: only if absent), in one
   * atomic step on the server that, when the version differed, also returns the key as it is.
   */
  ConditionalPut putIfVersion(ByteString key, long expectedVersion, ByteString value);

  /** Deletes the key; deleting a missing key is not an error. */
  void delete(ByteString key);

  /** The values of the first {@code limit} keys in [start, end), in key order. */
  List<ByteString> scan(ByteString start, ByteString end, int limit);

  /** The gRPC status of a failure thrown by this store (any other exception maps to UNKNOWN). */
  Failure describe(Exception failure);
}
