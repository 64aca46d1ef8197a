package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class HexTest {
  @Test
  void encode_bytes_lowercasePairs() {
    assertThat(Hex.encode(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0x1a})))
        .isEqualTo("00ff1a");
    assertThat(Hex.encode(ByteString.EMPTY)).isEmpty();
  }

  @Test
  void decode_eitherCaseAndPrefix_roundTrips() {
    ByteString expected = ByteString.copyFrom(new byte[] {(byte) 0xde, (byte) 0xad, 0x00});
    assertThat(Hex.decode("DEad00")).isEqualTo(expected);
    assertThat(Hex.decode("0xdead00")).isEqualTo(expected);
    assertThat(Hex.decode(Hex.encode(expected))).isEqualTo(expected);
  }

  @Test
  void decode_oddLength_namesProblem() {
    assertThatThrownBy(() -> Hex.decode("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("odd number of hex digits (3)");
  }

  @Test
  void decode_nonHexDigit_namesCharacterAndPosition() {
    assertThatThrownBy(() -> Hex.decode("00zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'z' at position 2 is not a hex digit");
  }
}
