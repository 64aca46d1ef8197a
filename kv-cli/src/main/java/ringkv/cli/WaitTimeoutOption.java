package ringkv.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --wait-timeout} option of the commands that wait for the map to show a change
 * finished (a picocli mixin); {@link WaitOptions} adds {@code --no-wait}.
 */
class WaitTimeoutOption {
  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "How long to wait, in all, for the moves to finish; they go on after it. Default:"
              + " ${DEFAULT-VALUE}.")
  private Duration waitTimeout = Duration.ofMinutes(10);

  /**
   * A wait whose deadline is {@code --wait-timeout} from now.
   *
   * @param quiet print no progress (JSON output)
   */
  MapWait start(KvctlMain root, boolean quiet) {
    return new MapWait(root, waitTimeout, quiet);
  }
}
