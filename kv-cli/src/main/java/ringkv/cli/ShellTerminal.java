package ringkv.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * {@code kvctl shell} on a terminal: JLine line editing, a history file, and tab completion of
 * command names, options and option values from the picocli model.
 */
final class ShellTerminal implements LineSource {
  /** The history file, in the user's home directory. */
  static final String HISTORY_FILE = ".kvctl_history";

  private final Terminal terminal;
  private final LineReader reader;

  /**
   * @param commands the kvctl command model, for completion
   * @param history the history file, or null to keep history in memory only
   */
  ShellTerminal(Terminal terminal, CommandSpec commands, @Nullable Path history) {
    this.terminal = terminal;
    LineReaderBuilder builder =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("kvctl")
            .completer(completer(commands))
            .parser(new DefaultParser())
            // '!' is data (put k 'hi!'), not a history reference; backslashes stay for ShellWords
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
            .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
    if (history != null) {
      builder.variable(LineReader.HISTORY_FILE, history);
    }
    this.reader = builder.build();
  }

  /** The JVM's terminal, history in {@code ~/.kvctl_history}. */
  static ShellTerminal system(CommandSpec commands) {
    try {
      Terminal terminal = TerminalBuilder.builder().system(true).name("kvctl").build();
      return new ShellTerminal(
          terminal, commands, Path.of(System.getProperty("user.home"), HISTORY_FILE));
    } catch (IOException e) {
      throw new CommandFailedException("cannot open the terminal: " + LocalFiles.describe(e), e);
    }
  }

  /** Completes kvctl's commands and options, and the shell's own exit and quit. */
  static Completer completer(CommandSpec commands) {
    return new AggregateCompleter(
        new PicocliJLineCompleter(commands),
        new ArgumentCompleter(new StringsCompleter("exit", "quit"), NullCompleter.INSTANCE));
  }

  @Override
  public @Nullable String readLine(String prompt, boolean history) {
    reader.setVariable(LineReader.DISABLE_HISTORY, !history);
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      throw new Cancelled();
    } catch (EndOfFileException e) {
      return null;
    }
  }

  /** Prints a line on the terminal (the shell's greeting). */
  void println(String line) {
    terminal.writer().println(line);
    terminal.writer().flush();
  }

  /** Saves the history and releases the terminal. */
  @Override
  public void close() {
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      // a history that cannot be saved is not worth an error at exit
    }
    try {
      terminal.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
