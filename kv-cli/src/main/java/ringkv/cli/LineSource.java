package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import org.jspecify.annotations.Nullable;

/** Where {@code kvctl shell} reads its lines: a terminal ({@link ShellTerminal}) or a stream. */
interface LineSource extends AutoCloseable {
  /**
   * The next line, without its line end, or null at the end of input.
   *
   * @param prompt shown before the line when reading from a terminal
   * @param history whether the line goes into the shell's history
   * @throws Cancelled when the user cancelled the line (Ctrl-C)
   */
  @Nullable String readLine(String prompt, boolean history);

  @Override
  default void close() {}

  /** The user cancelled the line being read. */
  final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** Lines from a stream (UTF-8), no prompt and no history: the shell's input is not a terminal. */
  static LineSource of(InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8));
    return (prompt, history) -> {
      try {
        return reader.readLine();
      } catch (IOException e) {
        throw new CommandFailedException("cannot read standard input: " + LocalFiles.describe(e), e);
      }
    };
  }
}
