package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import ringkv.client.KvClientConfig;

/**
 * {@code kvctl}, the RingKV command-line client: the root command and the program entry point.
 * {@link #run} runs one command line and returns its exit code, so tests need no {@code
 * System.exit}; see {@code docs/kvctl.md} for the commands.
 */
@Command(
    name = "kvctl",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Command-line client of RingKV, a sharded Raft-replicated key-value store.",
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      CasCommand.class,
      TxnCommand.class,
      ScanCommand.class,
      PrefixCommand.class,
      DeleteRangeCommand.class,
      DeletePrefixCommand.class,
      BatchCommand.class,
      SnapshotCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      HealthCommand.class,
      ClusterCommand.class,
      LeaderCommand.class,
      ShardCommand.class,
      NodeCommand.class,
      TopCommand.class,
      ShellCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (del, del-range, del-prefix: also when nothing was deleted; scan, prefix:"
          + " also when --limit cut the output)",
      "1:the command failed: request error, local I/O error, endpoint not serving, no node"
          + " answered (cluster), some item failed (batch), a node refused or did not finish a"
          + " change (leader, shard, node drain)",
      "2:invalid command line; nothing was sent",
      "3:get: key not found",
      "4:cas: the comparison failed; nothing was written"
    })
public final class KvctlMain implements Callable<Integer> {
  @Mixin private GlobalOptions global = new GlobalOptions();

  @Spec private CommandSpec spec;

  private final CliContext context;
  private final @Nullable Shell shell;

  KvctlMain(CliContext context) {
    this(context, null);
  }

  /**
   * @param shell the shell this command line was typed into, or null outside {@code kvctl shell}
   */
  KvctlMain(CliContext context, @Nullable Shell shell) {
    this.context = context;
    this.shell = shell;
  }

  /** Runs kvctl and exits with its exit code. */
  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(run(System.out, System.err, System.in, args));
  }

  /**
   * Runs one kvctl command line against the real cluster and environment.
   *
   * @return the exit code ({@link ExitCodes})
   */
  public static int run(PrintStream out, PrintStream err, InputStream in, String... args) {
    return run(CliContext.system(out, err, in), args);
  }

  static int run(CliContext context, String... args) {
    return run(context, null, args);
  }

  /**
   * Runs one command line; inside {@code kvctl shell}, one line of it, with the shell's global
   * options as defaults and its shared client.
   */
  static int run(CliContext context, @Nullable Shell shell, String... args) {
    KvctlMain root = new KvctlMain(context, shell);
    CommandLine commandLine = root.commandLine();
    if (shell != null) {
      commandLine.setDefaultValueProvider(shell.defaults());
    }
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      context.out().flush();
      context.err().flush();
    }
  }

  /** A command line for this root: output, error handling and logging set up. */
  CommandLine commandLine() {
    ErrorReporter errors = new ErrorReporter(context.err(), () -> global.verbose());
    return new CommandLine(this)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(new OutputStreamWriter(context.out(), UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(context.err(), UTF_8), true))
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors)
        .setExecutionStrategy(
            parseResult -> {
              configureLogging();
              return new RunLast().execute(parseResult);
            });
  }

  /** {@code kvctl} without a command is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: put, get, del, cas, txn, scan, prefix, del-range, del-prefix, batch,"
            + " snapshot, backup, restore, health, cluster, leader, shard, top or shell");
  }

  GlobalOptions global() {
    return global;
  }

  CliContext context() {
    return context;
  }

  /** The shell this command line was typed into, or null outside {@code kvctl shell}. */
  @Nullable Shell shell() {
    return shell;
  }

  /**
   * The client for the endpoints and timeout on the command line; the caller closes the lease. A
   * command opens its own client; in the shell, lines with the same endpoints and timeout share
   * one, which the shell closes when it ends.
   */
  ClientLease client() {
    KvClientConfig config = global.clientConfig(context.env());
    if (shell != null) {
      return new ClientLease(shell.client(config), false);
    }
    return new ClientLease(context.clients().apply(config), true);
  }

  /** Standard input for values, or null in the shell, whose commands come from it. */
  @Nullable InputStream stdin() {
    return shell == null ? context.in() : null;
  }

  ResultPrinter printer() {
    return new ResultPrinter(context.out(), global.hex(), shell != null);
  }

  private void configureLogging() {
    if (global.verbose()
        && LoggerFactory.getLogger("ringkv") instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(Level.DEBUG);
    }
  }
}
