package ringkv.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code kvctl shell}: an interactive shell that runs kvctl commands. */
@Command(
    name = "shell",
    description = {
      "Runs kvctl commands interactively.",
      "",
      "Reads command lines, 'get a' rather than 'kvctl get a', and runs each as kvctl would,"
          + " with the global options given to 'kvctl shell' as defaults (a line may override"
          + " them). Lines with the same endpoints and timeout share one client. An error prints"
          + " its one line and the shell goes on. 'help' lists the commands; 'exit', 'quit' or"
          + " Ctrl-D leaves. Words are split as a POSIX shell does ('...', \"...\", \\).",
      "",
      "On a terminal: prompt kv@<first endpoint>$, line editing, Tab completes commands and"
          + " options, history in ~/" + ShellTerminal.HISTORY_FILE + ". Otherwise (piped input)"
          + " lines are read from standard input without a prompt. Exits with the exit code of"
          + " the last command."
    })
public final class ShellCommand implements Callable<Integer> {
  /** The global options a shell passes on to its lines ({@link GlobalOptions}). */
  static final Set<String> GLOBAL_OPTIONS = Set.of("--endpoints", "--timeout", "--hex", "--verbose");

  @ParentCommand private KvctlMain root;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    if (root.shell() != null) {
      throw new UsageException("already in the shell");
    }
    CliContext context = root.context();
    List<String> endpoints = root.global().endpoints(context.env());
    root.global().clientConfig(context.env()); // a bad option fails now, not on every line
    String prompt = "kv@" + endpoints.get(0) + "$ ";
    try (Shell shell = new Shell(context, globals(spec.root().commandLine().getParseResult()), prompt)) {
      if (!context.terminal()) {
        return shell.run(LineSource.of(context.in()));
      }
      CommandSpec commands = new KvctlMain(context, shell).commandLine().getCommandSpec();
      try (ShellTerminal terminal = ShellTerminal.system(commands)) {
        terminal.println(
            "kvctl "
                + VersionProvider.version()
                + " shell: 'help' lists the commands, 'help COMMAND' explains one;"
                + " 'exit', 'quit' or Ctrl-D leaves.");
        return shell.run(terminal);
      }
    }
  }

  /** The global options on the command line that started the shell, the last one winning. */
  static Map<String, String> globals(ParseResult parsed) {
    Map<String, String> globals = new HashMap<>();
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      for (OptionSpec option : level.matchedOptions()) {
        String name = option.longestName();
        if (!GLOBAL_OPTIONS.contains(name)) {
          continue;
        }
        List<String> values = option.originalStringValues();
        boolean flag = option.arity().max() == 0;
        globals.put(name, flag || values.isEmpty() ? "true" : values.get(values.size() - 1));
      }
    }
    return globals;
  }
}
