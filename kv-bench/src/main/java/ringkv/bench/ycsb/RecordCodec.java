package ringkv.bench.ycsb;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Encodes a YCSB record (field name to bytes) as one value, the same for the RingKV and the etcd
 * binding. Layout, all lengths unsigned LEB128 varints (as in protobuf):
 *
 * <pre>
 * record = version (1 byte, 0x01) · field count · field*
 * field  = name length · name (UTF-8) · value length · value
 * </pre>
 *
 * <p>Fields are written in ascending name order (UTF-16 order of {@link String#compareTo}), so a
 * record has exactly one encoding, and {@link #decode} accepts only that encoding: a bad version,
 * a truncated or overlong varint, a length past the end, invalid UTF-8, names out of order or
 * repeated, and trailing bytes are all rejected. YCSB's default record (10 fields {@code field0}..
 * {@code field9} of 100 bytes) takes 1,082 bytes: 82 bytes of framing for 1,000 of data.
 */
public final class RecordCodec {
  /** The first byte of every encoded record. */
  public static final int VERSION = 1;

  private RecordCodec() {}

  /** The encoding of {@code fields}; the map's order does not matter. */
  public static ByteString encode(Map<String, ByteString> fields) {
    SortedMap<String, ByteString> sorted = fields instanceof SortedMap<String, ByteString> s && s.comparator() == null
        ? s : new TreeMap<>(fields);
    int size = 1 + varintSize(sorted.size());
    for (Map.Entry<String, ByteString> e : sorted.entrySet()) {
      int nameBytes = utf8Length(e.getKey());
      size += varintSize(nameBytes) + nameBytes + varintSize(e.getValue().size()) + e.getValue().size();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    putVarint(out, sorted.size());
    for (Map.Entry<String, ByteString> e : sorted.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      putVarint(out, name.length);
      out.put(name);
      putVarint(out, e.getValue().size());
      e.getValue().copyTo(out);
    }
    return ByteString.copyFrom(out.flip());
  }

  /**
   * The fields of an encoded record, in name order.
   *
   * @throws IllegalArgumentException if {@code bytes} is not a record this class wrote
   */
  public static SortedMap<String, ByteString> decode(ByteString bytes) {
    Reader in = new Reader(bytes);
    if (bytes.isEmpty()) {
      throw new IllegalArgumentException("record is empty");
    }
    int version = bytes.byteAt(in.position++) & 0xff;
    if (version != VERSION) {
      throw new IllegalArgumentException("record version " + version + " is not " + VERSION);
    }
    int count = in.varint("field count");
    TreeMap<String, ByteString> fields = new TreeMap<>();
    String previous = null;
    for (int i = 0; i < count; i++) {
      String name = utf8(in.bytes("name of field " + i), i);
      if (previous != null && previous.compareTo(name) >= 0) {
        throw new IllegalArgumentException("field " + i + " ('" + name + "') is not after '" + previous
            + "' (names must be unique and in order)");
      }
      fields.put(name, in.bytes("value of field " + i));
      previous = name;
    }
    if (in.position != bytes.size()) {
      throw new IllegalArgumentException((bytes.size() - in.position) + " bytes after the last field");
    }
    return Collections.unmodifiableSortedMap(fields);
  }

  /** A cursor over an encoded record. */
  private static final class Reader {
    private final ByteString bytes;
    private int position;

    Reader(ByteString bytes) {
      this.bytes = bytes;
    }

    /** A minimal varint of at most 5 bytes whose value fits an int. */
    int varint(String what) {
      long value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (position == bytes.size()) {
          throw new IllegalArgumentException(what + ": record ends inside a varint at byte " + position);
        }
        int b = bytes.byteAt(position++) & 0xff;
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw new IllegalArgumentException(what + ": varint ending at byte " + (position - 1) + " is not minimal");
          }
          if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + value + " is too large");
          }
          return (int) value;
        }
      }
      throw new IllegalArgumentException(
          what + ": varint ending at byte " + (position - 1) + " is longer than 5 bytes");
    }

    /** A length-prefixed byte string. */
    ByteString bytes(String what) {
      int length = varint(what + " length");
      if (length > bytes.size() - position) {
        throw new IllegalArgumentException(what + ": length " + length + " runs past the end of the record ("
            + (bytes.size() - position) + " bytes left)");
      }
      ByteString out = bytes.substring(position, position + length);
      position += length;
      return out;
    }
  }

  private static String utf8(ByteString name, int field) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(name.asReadOnlyByteBuffer()).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("name of field " + field + " is not valid UTF-8");
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int varintSize(int n) {
    int size = 1;
    while ((n & ~0x7f) != 0) {
      n >>>= 7;
      size++;
    }
    return size;
  }

  private static void putVarint(ByteBuffer out, int n) {
    while ((n & ~0x7f) != 0) {
      out.put((byte) ((n & 0x7f) | 0x80));
      n >>>= 7;
    }
    out.put((byte) n);
  }
}
