package ringkv.client;

import com.google.protobuf.ByteString;

/**
 * What to scan: keys in [start, end) or with a prefix, in pages of at most {@code limit} keys,
 * merged over all shards in key order. Each shard's part is linearizable; a page is not one
 * global snapshot. Pass a page's {@link ScanPage#continuation()} to {@link #after} for the next.
 *
 * @param end exclusive; empty = no upper bound
 * @param limit keys per page, 1 to 10,000 (0 = the server's default, 1,000)
 */
public record Scan(ByteString start, ByteString end, ByteString prefix, int limit, boolean keysOnly, boolean reverse,
    ByteString continuation) {
  public static Scan range(ByteString start, ByteString end) {
    return new Scan(start, end, ByteString.EMPTY, 0, false, false, ByteString.EMPTY);
  }

  public static Scan prefix(ByteString prefix) {
    return new Scan(ByteString.EMPTY, ByteString.EMPTY, prefix, 0, false, false, ByteString.EMPTY);
  }

  public Scan withLimit(int limit) {
    return new Scan(start, end, prefix, limit, keysOnly, reverse, continuation);
  }

  public Scan withKeysOnly() {
    return new Scan(start, end, prefix, limit, true, reverse, continuation);
  }

  public Scan reversed() {
    return new Scan(start, end, prefix, limit, keysOnly, true, continuation);
  }

  /** The next page after {@code continuation} (from the previous page). */
  public Scan after(ByteString continuation) {
    return new Scan(start, end, prefix, limit, keysOnly, reverse, continuation);
  }
}
