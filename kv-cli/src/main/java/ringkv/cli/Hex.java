package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Hex text for keys and values given or printed under {@code --hex}: lowercase on output. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  /** Lowercase hex digits of {@code bytes}, two per byte, no prefix or separators. */
  public static String encode(ByteString bytes) {
    return FORMAT.formatHex(bytes.toByteArray());
  }

  /**
   * Decodes hex digits (either case, an optional {@code 0x} prefix) into bytes.
   *
   * @throws IllegalArgumentException naming the problem, when {@code text} is not whole bytes of
   *     hex
   */
  public static ByteString decode(String text) {
    String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits (" + digits.length() + ")");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new IllegalArgumentException(
            "'" + digits.charAt(i) + "' at position " + i + " is not a hex digit");
      }
    }
    return ByteString.copyFrom(FORMAT.parseHex(digits));
  }
}
