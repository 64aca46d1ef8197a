package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueSourceTest {
  private static final byte[] BINARY = {0, 1, (byte) 0xff, '\n', '\r', (byte) 0xc3};

  private static InputStream noStdin() {
    return new ByteArrayInputStream(new byte[0]);
  }

  @Test
  void key_text_utf8Bytes() {
    assertThat(ValueSource.key("grüße", false)).isEqualTo(ByteString.copyFromUtf8("grüße"));
  }

  @Test
  void key_hex_decoded() {
    assertThat(ValueSource.key("00ff", true))
        .isEqualTo(ByteString.copyFrom(new byte[] {0, (byte) 0xff}));
  }

  @Test
  void key_empty_usageError() {
    assertThatThrownBy(() -> ValueSource.key("", false))
        .isInstanceOf(UsageException.class)
        .hasMessage("KEY must not be empty");
  }

  @Test
  void key_badHex_usageErrorNamesArgument() {
    assertThatThrownBy(() -> ValueSource.key("abc", true))
        .isInstanceOf(UsageException.class)
        .hasMessage("KEY is not valid hex: odd number of hex digits (3)");
  }

  @Test
  void value_argument_textOrHex() {
    assertThat(ValueSource.value("hello", null, false, noStdin()))
        .isEqualTo(ByteString.copyFromUtf8("hello"));
    assertThat(ValueSource.value("68656c6c6f", null, true, noStdin()))
        .isEqualTo(ByteString.copyFromUtf8("hello"));
  }

  @Test
  void value_dash_readsStdinByteForByte_evenUnderHex() {
    assertThat(ValueSource.value("-", null, false, new ByteArrayInputStream(BINARY)))
        .isEqualTo(ByteString.copyFrom(BINARY));
    assertThat(ValueSource.value("-", null, true, new ByteArrayInputStream(BINARY)))
        .isEqualTo(ByteString.copyFrom(BINARY));
  }

  @Test
  void value_dash_withoutStdin_usageErrorPointsToFile() {
    assertThatThrownBy(() -> ValueSource.value("-", null, false, null))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "VALUE '-' reads standard input, which the shell reads its commands from; use --file"
                + " PATH");
    assertThat(ValueSource.value("v", null, false, null)).isEqualTo(ByteString.copyFromUtf8("v"));
  }

  @Test
  void value_emptyArgument_emptyValue() {
    assertThat(ValueSource.value("", null, false, noStdin())).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void value_file_readsBytes(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("v.bin"), BINARY);
    assertThat(ValueSource.value(null, file, false, noStdin()))
        .isEqualTo(ByteString.copyFrom(BINARY));
  }

  @Test
  void value_missingFile_commandFailedNamesPath(@TempDir Path dir) {
    Path file = dir.resolve("absent.bin");
    assertThatThrownBy(() -> ValueSource.value(null, file, false, noStdin()))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("cannot read " + file + ": no such file or directory");
  }

  @Test
  void value_argumentAndFile_usageError(@TempDir Path dir) {
    assertThatThrownBy(() -> ValueSource.value("v", dir.resolve("f"), false, noStdin()))
        .isInstanceOf(UsageException.class)
        .hasMessage("give either VALUE or --file, not both");
  }

  @Test
  void value_neither_usageError() {
    assertThatThrownBy(() -> ValueSource.value(null, null, false, noStdin()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("missing VALUE");
  }

  @Test
  void value_failingStdin_commandFailed() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("stream closed");
          }
        };
    assertThatThrownBy(() -> ValueSource.value("-", null, false, broken))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("cannot read standard input: stream closed");
  }
}
