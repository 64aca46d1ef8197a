package ringkv.cli;

import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import ringkv.api.v1.ClusterMap;

/**
 * The {@code --no-wait} and {@code --wait-timeout} options of {@code shard add} and {@code shard
 * remove} (a picocli mixin), and their wait: kvctl reads the cluster map about once a second
 * ({@code GetClusterMap}, through {@link ClusterCommand#firstAnswer(KvctlMain,
 * ClusterCommand.AdminCall)}) until the reshard is done, and prints a progress line on standard
 * error whenever the number of partitions left to move changes.
 *
 * <p>The moves go on in the background whatever kvctl does, so a map that cannot be read does not
 * end the wait (the meta group may be electing a leader); only {@code --wait-timeout} does. A map
 * older than the one that planned the moves is ignored: a node that cannot reach the meta group
 * answers from its own copy, which may not have the plan yet.
 */
final class ReshardWait {
  /** How often the map is read while waiting. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  @Option(
      names = "--no-wait",
      description = "Answer once the plan is in the map, not when the partitions have moved.")
  private boolean noWait;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "How long to wait for the partitions to move; the moves go on after it. Default:"
              + " ${DEFAULT-VALUE}.")
  private Duration waitTimeout = Duration.ofMinutes(10);

  boolean noWait() {
    return noWait;
  }

  /**
   * Reads the map until {@code done} holds for it, starting from {@code started}, the map of the
   * node's answer; returns the last map read.
   *
   * @param subject what the progress lines are about, {@code shard 3}
   * @param planned the partitions the reshard moves; the progress counts those of them no longer
   *     in the map's partition moves
   * @param quiet print no progress (JSON output, which stays one object on standard output)
   * @throws CommandFailedException when {@code --wait-timeout} passes first, or the wait is
   *     interrupted: the message says that the moves go on
   */
  ClusterMap await(
      KvctlMain root,
      String subject,
      int planned,
      ClusterMap started,
      Predicate<ClusterMap> done,
      boolean quiet) {
    Pacer pacer = root.context().pacer();
    ResultPrinter progress = new ResultPrinter(root.context().err(), false);
    long deadline = pacer.nanoTime() + GrpcClusterAdmin.saturatedNanos(waitTimeout);
    ClusterMap map = started;
    int printed = -1;
    @Nullable RuntimeException lastFailure = null;
    while (true) {
      int moved = Math.max(0, planned - map.getPartitionMovesCount());
      if (!quiet && moved != printed) {
        progress.line(subject + ": " + moved + "/" + planned + " partitions moved");
        root.context().err().flush();
        printed = moved;
      }
      if (done.test(map)) {
        return map;
      }
      long now = pacer.nanoTime();
      if (now - deadline >= 0) {
        throw new CommandFailedException(
            subject
                + ": "
                + moved
                + "/"
                + planned
                + " partitions moved when --wait-timeout "
                + DurationConverter.format(waitTimeout)
                + " ran out; the moves go on (see kvctl cluster status)"
                + (lastFailure == null
                    ? ""
                    : "; the last map read failed: " + ErrorReporter.message(lastFailure)),
            lastFailure);
      }
      long next = now + GrpcClusterAdmin.saturatedNanos(POLL_INTERVAL);
      try {
        pacer.sleepUntil(next - deadline > 0 ? deadline : next);
      } catch (InterruptedException e) {
        throw new CommandFailedException(
            subject + ": interrupted while waiting; the moves go on (see kvctl cluster status)", e);
      }
      try {
        ClusterMap read = ClusterCommand.firstAnswer(root, ClusterAdmin::clusterMap).getMap();
        lastFailure = null;
        if (Long.compareUnsigned(read.getEpoch(), map.getEpoch()) >= 0) {
          map = read;
        }
      } catch (RuntimeException e) {
        lastFailure = e;
      }
    }
  }
}
