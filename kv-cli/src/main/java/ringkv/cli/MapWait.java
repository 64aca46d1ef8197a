package ringkv.cli;

import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;

/**
 * Waits for the cluster map to show a change finished: kvctl reads the map about once a second
 * ({@code GetClusterMap}, through {@link ClusterCommand#firstAnswer(KvctlMain,
 * ClusterCommand.AdminCall)}) and prints a progress line on standard error whenever it changes.
 * One deadline ({@code --wait-timeout} from the start of the command) covers every wait of a
 * command, so that a command of several steps ({@code node rebalance}, {@code shard scale}) is
 * bounded as a whole.
 *
 * <p>The changes go on in the background whatever kvctl does, so a map that cannot be read does not
 * end the wait (the meta group may be electing a leader); only the deadline does. A map older than
 * the one the wait started from is ignored: a node that cannot reach the meta group answers from
 * its own copy, which may not have the change yet.
 */
final class MapWait {
  /** How often the map is read while waiting. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final KvctlMain root;
  private final Duration waitTimeout;
  private final boolean quiet;
  private final Pacer pacer;
  private final long deadline;

  /**
   * @param quiet print no progress (JSON output, which stays one object on standard output)
   */
  MapWait(KvctlMain root, Duration waitTimeout, boolean quiet) {
    this.root = root;
    this.waitTimeout = waitTimeout;
    this.quiet = quiet;
    this.pacer = root.context().pacer();
    this.deadline = pacer.nanoTime() + GrpcClusterAdmin.saturatedNanos(waitTimeout);
  }

  /**
   * The map now, from the first endpoint that answers.
   *
   * @throws CommandFailedException when no endpoint answers
   */
  ClusterMap read() {
    return ClusterCommand.firstAnswer(root, ClusterAdmin::clusterMap).getMap();
  }

  /**
   * Reads the map until {@code done} holds for it, starting from {@code started} (the map of the
   * node's answer, or one just read); returns the last map read.
   *
   * @throws CommandFailedException when the deadline passes first ({@link WaitProgress#ranOut},
   *     adding why the last read failed, if it did), or the wait is interrupted
   */
  ClusterMap until(ClusterMap started, Predicate<ClusterMap> done, WaitProgress progress) {
    ResultPrinter err = new ResultPrinter(root.context().err(), false);
    ClusterMap map = started;
    @Nullable String printed = null;
    @Nullable RuntimeException lastFailure = null;
    while (true) {
      String line = progress.line(map);
      if (!quiet && !line.equals(printed)) {
        err.line(line);
        root.context().err().flush();
        printed = line;
      }
      if (done.test(map)) {
        return map;
      }
      long now = pacer.nanoTime();
      if (now - deadline >= 0) {
        throw new CommandFailedException(
            progress.ranOut(map, DurationConverter.format(waitTimeout))
                + (lastFailure == null
                    ? ""
                    : "; the last map read failed: " + ErrorReporter.message(lastFailure)),
            lastFailure);
      }
      long next = now + GrpcClusterAdmin.saturatedNanos(POLL_INTERVAL);
      try {
        pacer.sleepUntil(next - deadline > 0 ? deadline : next);
      } catch (InterruptedException e) {
        throw new CommandFailedException(progress.interrupted(), e);
      }
      try {
        ClusterMap read = read();
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
