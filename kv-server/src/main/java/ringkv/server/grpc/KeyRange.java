package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import ringkv.api.v1.ErrorReason;
import ringkv.server.RequestFailedException;

/** A key range [start, end) as requests give it (start/end, or a prefix); empty end = no bound. */
record KeyRange(ByteString start, ByteString end) {
  private static final java.util.Comparator<ByteString> KEYS = ByteString.unsignedLexicographicalComparator();

  static KeyRange of(ByteString start, ByteString end, ByteString prefix) {
    if (!prefix.isEmpty()) {
      if (!start.isEmpty() || !end.isEmpty()) {
        throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "prefix", 0, "give either prefix or start/end, not both");
      }
      return new KeyRange(prefix, prefixEnd(prefix));
    }
    if (!end.isEmpty() && KEYS.compare(end, start) < 0) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "end", 0,
          "end must not sort before start (the range is [start, end), bytewise)");
    }
    return new KeyRange(start, end);
  }

  /** The smallest key after every key with {@code prefix}; empty when there is none. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] bytes = prefix.toByteArray();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xff) {
        bytes[i]++;
        return ByteString.copyFrom(bytes, 0, i + 1);
      }
    }
    return ByteString.EMPTY;
  }

  /** The part of this range after {@code key} in scan order. */
  KeyRange after(ByteString key, boolean reverse) {
    if (reverse) {
      return new KeyRange(start, key);
    }
    ByteString next = key.concat(ByteString.copyFrom(new byte[] {0}));
    return new KeyRange(KEYS.compare(next, start) > 0 ? next : start, end);
  }

  boolean isEmpty() {
    return !end.isEmpty() && KEYS.compare(end, start) <= 0;
  }
}
