package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static ByteString bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return ByteString.copyFrom(out);
  }

  private static Map<String, ByteString> ycsbRecord(int fields, int length, long seed) {
    Random random = new Random(seed);
    Map<String, ByteString> record = new HashMap<>();
    for (int i = 0; i < fields; i++) {
      byte[] value = new byte[length];
      random.nextBytes(value);
      record.put("field" + i, ByteString.copyFrom(value));
    }
    return record;
  }

  @Test
  void encode_smallRecord_hasTheDocumentedLayout() {
    Map<String, ByteString> record = new LinkedHashMap<>();
    record.put("b", ByteString.copyFromUtf8("xy"));
    record.put("a", ByteString.EMPTY);

    // version 1, 2 fields, then "a" -> "" and "b" -> "xy" in name order
    assertThat(RecordCodec.encode(record)).isEqualTo(bytes(1, 2, 1, 'a', 0, 1, 'b', 2, 'x', 'y'));
  }

  @Test
  void roundTrip_defaultYcsbRecord_keepsEveryFieldAndTakes1082Bytes() {
    Map<String, ByteString> record = ycsbRecord(10, 100, 7);

    ByteString encoded = RecordCodec.encode(record);

    assertThat(encoded.size()).isEqualTo(1082);
    assertThat(RecordCodec.decode(encoded)).isEqualTo(record);
  }

  @Test
  void roundTrip_emptyRecord_isTwoBytes() {
    ByteString encoded = RecordCodec.encode(Map.of());

    assertThat(encoded).isEqualTo(bytes(1, 0));
    assertThat(RecordCodec.decode(encoded)).isEmpty();
  }

  @Test
  void roundTrip_binaryValuesUnicodeNamesAndMultiByteLengths_survive() {
    Map<String, ByteString> record = new HashMap<>();
    record.put("", ByteString.copyFrom(new byte[] {0, -1, 127, -128}));
    record.put("名前", ByteString.copyFrom(new byte[300]));
    record.put("big", ByteString.copyFrom(new byte[70_000]));
    record.put("emoji \uD83D\uDE00", ByteString.copyFromUtf8("v"));

    assertThat(RecordCodec.decode(RecordCodec.encode(record))).isEqualTo(record);
  }

  @Test
  void roundTrip_manyRandomRecords_survive() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      Map<String, ByteString> record = ycsbRecord(random.nextInt(20), random.nextInt(400), random.nextLong());
      assertThat(RecordCodec.decode(RecordCodec.encode(record))).isEqualTo(record);
    }
  }

  @Test
  void encode_sameFieldsInAnyMapOrder_givesTheSameBytes() {
    Map<String, ByteString> forward = new LinkedHashMap<>();
    Map<String, ByteString> backward = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      forward.put("field" + i, ByteString.copyFromUtf8("v" + i));
      backward.put("field" + (9 - i), ByteString.copyFromUtf8("v" + (9 - i)));
    }

    assertThat(RecordCodec.encode(forward)).isEqualTo(RecordCodec.encode(backward));
  }

  @Test
  void decode_empty_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(ByteString.EMPTY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void decode_unknownVersion_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(2, 0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void decode_textThatIsNotARecord_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(ByteString.copyFromUtf8("hello")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_truncatedAnywhere_isRejected() {
    ByteString encoded = RecordCodec.encode(ycsbRecord(3, 5, 1));
    for (int length = 0; length < encoded.size(); length++) {
      ByteString truncated = encoded.substring(0, length);
      assertThatThrownBy(() -> RecordCodec.decode(truncated)).as("first %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void decode_lengthPastTheEnd_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 1, 1, 'a', 5, 'x')))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past the end");
  }

  @Test
  void decode_trailingBytes_areRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 1, 1, 'a', 1, 'x', 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bytes after the last field");
  }

  @Test
  void decode_nonMinimalVarint_isRejected() {
    // field count 1 written in two bytes (0x81 0x00)
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 0x81, 0x00, 1, 'a', 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not minimal");
  }

  @Test
  void decode_varintLongerThanFiveBytes_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 5 bytes");
  }

  @Test
  void decode_countAboveIntRange_isRejected() {
    // 2^32 - 1 in five bytes
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 0xff, 0xff, 0xff, 0xff, 0x0f)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
  }

  @Test
  void decode_invalidUtf8Name_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 1, 1, 0xff, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void decode_duplicateName_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 2, 1, 'a', 0, 1, 'a', 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique and in order");
  }

  @Test
  void decode_namesOutOfOrder_isRejected() {
    assertThatThrownBy(() -> RecordCodec.decode(bytes(1, 2, 1, 'b', 0, 1, 'a', 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
  }

  @Test
  void decode_result_isUnmodifiable() {
    var decoded = RecordCodec.decode(RecordCodec.encode(Map.of("a", ByteString.EMPTY)));

    assertThatThrownBy(() -> decoded.put("b", ByteString.EMPTY)).isInstanceOf(UnsupportedOperationException.class);
  }
}
