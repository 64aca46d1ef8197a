package ringkv.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.OptionSpec;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * A running {@code kvctl shell}: reads command lines and runs each as {@code kvctl} would, with the
 * global options given to the shell as every line's defaults. Lines with the same endpoints and
 * timeout share one client, opened at the first line that needs it and closed when the shell ends.
 */
final class Shell implements AutoCloseable {
  /** Words that end the shell (so does the end of input: Ctrl-D). */
  static final Set<String> EXIT_WORDS = Set.of("exit", "quit");

  private static final String[] TXN_PROMPTS = {"compares> ", "success> ", "failure> "};

  private final CliContext context;
  private final Map<String, String> globals;
  private final String prompt;
  private final Map<KvClientConfig, KvClient> clients = new LinkedHashMap<>();
  private @Nullable LineSource lines;

  /**
   * @param globals the global options given to {@code kvctl shell}: option name (its longest, as
   *     {@code --endpoints}) to value ({@code true} for a flag)
   * @param prompt shown before each line on a terminal
   */
  Shell(CliContext context, Map<String, String> globals, String prompt) {
    this.context = context;
    this.globals = Map.copyOf(globals);
    this.prompt = prompt;
  }

  /** Supplies the shell's global options as the defaults of every line; a line may override them. */
  IDefaultValueProvider defaults() {
    return arg -> arg instanceof OptionSpec option ? globals.get(option.longestName()) : null;
  }

  /** The shared client for {@code config}, opened on first use. */
  KvClient client(KvClientConfig config) {
    return clients.computeIfAbsent(config, context.clients());
  }

  /**
   * Runs lines from {@code source} until {@code exit}, {@code quit} or the end of input. Blank
   * lines and lines starting with {@code #} are skipped. An error prints its one line and the shell
   * goes on.
   *
   * @return the exit code of the last command that ran (0 when none did)
   */
  int run(LineSource source) {
    this.lines = source;
    int status = ExitCodes.OK;
    while (true) {
      String line;
      try {
        line = source.readLine(prompt, true);
      } catch (LineSource.Cancelled e) {
        continue;
      }
      if (line == null) {
        return status;
      }
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      List<String> words;
      try {
        words = ShellWords.split(line);
      } catch (UsageException e) {
        status = usageError(e.getMessage());
        continue;
      }
      if (EXIT_WORDS.contains(words.get(0))) {
        if (words.size() == 1) {
          return status;
        }
        status = usageError(words.get(0) + " takes no arguments");
        continue;
      }
      status = KvctlMain.run(context, this, words.toArray(String[]::new));
    }
  }

  /**
   * Reads a transaction ({@link TxnParser}) from the lines that follow a {@code txn} line: its
   * three sections, each ended by a blank line (or the end of input).
   *
   * @throws CommandFailedException when the user cancels it
   */
  String readTxn() {
    if (lines == null) {
      throw new IllegalStateException("the shell is not running");
    }
    StringBuilder text = new StringBuilder();
    int section = 0;
    while (true) {
      String line;
      try {
        line = lines.readLine(TXN_PROMPTS[section], false);
      } catch (LineSource.Cancelled e) {
        throw new CommandFailedException("txn cancelled");
      }
      if (line == null) {
        return text.toString();
      }
      text.append(line).append('\n');
      if (line.isBlank()) {
        if (section == TXN_PROMPTS.length - 1) {
          return text.toString();
        }
        section++;
      }
    }
  }

  private int usageError(@Nullable String message) {
    context.err().println(ErrorReporter.PREFIX + ErrorReporter.oneLine(String.valueOf(message)));
    context.err().flush();
    return ExitCodes.USAGE;
  }

  /** Closes the clients the shell opened. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (KvClient client : clients.values()) {
      try {
        client.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    clients.clear();
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
