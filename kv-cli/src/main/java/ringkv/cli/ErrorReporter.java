package ringkv.cli;

import io.grpc.Status;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvException;

/**
 * Turns every failure into exactly one line on standard error, {@code kvctl: error: <message>}, and
 * an exit code ({@link ExitCodes}). A stack trace follows only under {@code --verbose}.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final String PREFIX = "kvctl: error: ";

  private final PrintStream err;
  private final BooleanSupplier verbose;

  ErrorReporter(PrintStream err, BooleanSupplier verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    report(ex.getMessage() + helpHint(ex.getCommandLine()), ex);
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    if (ex instanceof UsageException) {
      report(ex.getMessage() + helpHint(commandLine), ex);
      return ExitCodes.USAGE;
    }
    report(message(ex), ex);
    return ExitCodes.FAILED;
  }

  /** The one-line message for a failure while running a command. */
  static String message(Exception ex) {
    if (ex instanceof KvException kv) {
      return message(kv);
    }
    if (ex instanceof CommandFailedException) {
      return String.valueOf(ex.getMessage());
    }
    return ex.getMessage() == null
        ? ex.getClass().getSimpleName()
        : ex.getClass().getSimpleName() + ": " + ex.getMessage();
  }

  /**
   * {@code <message> [code <CODE>[, reason <REASON>]]}, plus a warning when a write may have been
   * applied. The client's message already names the limit for INVALID_ARGUMENT.
   */
  static String message(KvException kv) {
    Status.Code code = kv.code();
    ErrorReason reason = kv.reason();
    String text =
        kv.getMessage() == null || kv.getMessage().isBlank() ? "request failed" : kv.getMessage();
    StringBuilder line = new StringBuilder(text).append(" [code ").append(code);
    if (reason != null
        && reason != ErrorReason.ERROR_REASON_UNSPECIFIED
        && reason != ErrorReason.UNRECOGNIZED) {
      line.append(", reason ").append(reason.name());
    }
    line.append(']');
    if (kv.mayHaveBeenApplied()) {
      line.append("; the write may have been applied: read the key to find out");
    }
    return line.toString();
  }

  /** Collapses any line breaks so that an error is always exactly one line. */
  static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private void report(String message, Exception ex) {
    err.println(PREFIX + oneLine(message));
    if (verbose.getAsBoolean()) {
      ex.printStackTrace(err);
    }
    err.flush();
  }

  private static String helpHint(CommandLine commandLine) {
    return " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')";
  }
}
