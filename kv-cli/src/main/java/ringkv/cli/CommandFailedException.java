package ringkv.cli;

import org.jspecify.annotations.Nullable;

/**
 * A command failed for a reason other than a {@link ringkv.client.KvException}: a local file could
 * not be read or written, or an endpoint is not serving. {@code kvctl} reports the message and
 * exits with {@link ExitCodes#FAILED}.
 */
public final class CommandFailedException extends RuntimeException {
  public CommandFailedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  public CommandFailedException(String message) {
    this(message, null);
  }
}
