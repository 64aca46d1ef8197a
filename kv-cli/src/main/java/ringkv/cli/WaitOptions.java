package ringkv.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --no-wait} and {@code --wait-timeout} options of {@code shard add}, {@code shard
 * remove} and the {@code node} commands that move replicas (a picocli mixin).
 */
final class WaitOptions extends WaitTimeoutOption {
  @Option(
      names = "--no-wait",
      description = "Answer once the moves are planned in the map, not when they have finished.")
  private boolean noWait;

  boolean noWait() {
    return noWait;
  }
}
