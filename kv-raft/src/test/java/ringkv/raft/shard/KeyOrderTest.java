package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  private static final Comparator<ByteString> PROTOBUF = ByteString.unsignedLexicographicalComparator();

  @Test
  void compare_bytesAbove0x7f_sortAfterLowerBytes() {
    assertThat(KeyOrder.compare(bytes(0x80), bytes(0x7f))).isPositive();
    assertThat(KeyOrder.compare(bytes(0x00), bytes(0xff))).isNegative();
  }

  @Test
  void compare_prefix_sortsBeforeTheLongerKey() {
    assertThat(KeyOrder.compare(ByteString.copyFromUtf8("user"), ByteString.copyFromUtf8("user1"))).isNegative();
    assertThat(KeyOrder.compare(ByteString.EMPTY, bytes(0x00))).isNegative();
    assertThat(KeyOrder.compare(ByteString.copyFromUtf8("same"), ByteString.copyFromUtf8("same"))).isZero();
  }

  @Test
  void compare_randomKeys_ordersExactlyAsProtobufsComparator() {
    Random random = new Random(20261122);
    List<ByteString> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      byte[] key = new byte[random.nextInt(6)];
      for (int j = 0; j < key.length; j++) {
        key[j] = (byte) (random.nextBoolean() ? random.nextInt(3) : random.nextInt(256)); // many shared prefixes
      }
      ByteString plain = ByteString.copyFrom(key);
      // substrings and concatenations are other ByteString classes with their own byteAt
      keys.add(random.nextBoolean() ? plain : ByteString.copyFrom(new byte[] {9}).concat(plain).substring(1));
    }
    for (ByteString a : keys) {
      for (ByteString b : keys) {
        assertThat(Integer.signum(KeyOrder.compare(a, b))).as("%s vs %s", a, b)
            .isEqualTo(Integer.signum(PROTOBUF.compare(a, b)));
      }
    }
  }

  private static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.copyFrom(b);
  }
}
