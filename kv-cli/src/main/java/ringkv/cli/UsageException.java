package ringkv.cli;

/**
 * The command line is invalid in a way picocli's parser cannot see (malformed hex, a bad endpoint,
 * conflicting value sources). {@code kvctl} reports the message and exits with {@link
 * ExitCodes#USAGE}.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
