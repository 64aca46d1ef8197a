package ringkv.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Turns command-line arguments into key and value bytes. Arguments are UTF-8 text, or hex under
 * {@code --hex}; a value may instead come, byte for byte, from a file ({@code --file}) or from
 * standard input (VALUE {@code -}), which {@code --hex} does not affect.
 */
public final class ValueSource {
  /** The VALUE argument that means "read standard input". */
  public static final String STDIN = "-";

  private ValueSource() {}

  /**
   * The key named by a KEY argument.
   *
   * @throws UsageException when it is empty or, under {@code hex}, not hex
   */
  public static ByteString key(String argument, boolean hex) {
    ByteString key = argument(argument, hex, "KEY");
    if (key.isEmpty()) {
      throw new UsageException("KEY must not be empty");
    }
    return key;
  }

  /**
   * The value to put: from exactly one of the VALUE argument ({@code -} for standard input) and
   * {@code file}.
   *
   * @param stdin standard input; null inside {@code kvctl shell}, whose commands come from it, so
   *     that {@code -} is refused there
   * @throws UsageException when neither or both are given, the argument is not hex under {@code
   *     hex}, or it is {@code -} while {@code stdin} is null
   * @throws CommandFailedException when the file or standard input cannot be read
   */
  public static ByteString value(
      @Nullable String argument, @Nullable Path file, boolean hex, @Nullable InputStream stdin) {
    if (argument != null && file != null) {
      throw new UsageException("give either VALUE or --file, not both");
    }
    if (file != null) {
      return LocalFiles.read(file);
    }
    if (argument == null) {
      throw new UsageException(
          "missing VALUE: give VALUE, '-' to read standard input, or --file PATH");
    }
    if (argument.equals(STDIN)) {
      if (stdin == null) {
        throw new UsageException(
            "VALUE '-' reads standard input, which the shell reads its commands from; use --file"
                + " PATH");
      }
      try {
        return ByteString.readFrom(stdin);
      } catch (IOException e) {
        throw new CommandFailedException(
            "cannot read standard input: " + LocalFiles.describe(e), e);
      }
    }
    return argument(argument, hex, "VALUE");
  }

  /**
   * Bytes given as an argument: its UTF-8 bytes, or under {@code hex} the hex it spells.
   *
   * @param name what the argument is, for the error message ({@code VALUE}, {@code --expect})
   * @throws UsageException when {@code hex} and the argument is not hex
   */
  static ByteString argument(String argument, boolean hex, String name) {
    if (!hex) {
      return ByteString.copyFromUtf8(argument);
    }
    try {
      return Hex.decode(argument);
    } catch (IllegalArgumentException e) {
      throw new UsageException(name + " is not valid hex: " + e.getMessage());
    }
  }
}
