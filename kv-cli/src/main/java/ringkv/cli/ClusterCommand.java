package ringkv.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ringkv.client.KvException;

/**
 * {@code kvctl cluster}: the parent of the cluster commands. They ask one node's Admin service,
 * trying the endpoints in order until one answers.
 */
@Command(
    name = "cluster",
    description = {
      "Shows the cluster: its nodes, shards and partition table.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order)."
    },
    subcommands = {ClusterStatusCommand.class, ClusterMapCommand.class})
public final class ClusterCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Spec private CommandSpec spec;

  /** {@code kvctl cluster} without a subcommand is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: status or map");
  }

  KvctlMain root() {
    return root;
  }

  /** One Admin call on one endpoint within a timeout. */
  @FunctionalInterface
  interface AdminCall<T> {
    T call(ClusterAdmin admin, String endpoint, Duration timeout);
  }

  /**
   * Calls {@code call} on each endpoint in order until one answers, all within {@code --timeout}.
   * While other endpoints remain, one attempt may take at most {@link
   * GlobalOptions#MAX_ATTEMPT_TIMEOUT}, so that a node that hangs does not use up the whole
   * timeout; the last endpoint gets whatever time is left.
   *
   * @throws CommandFailedException when no endpoint answers: {@code no node answered at
   *     <endpoints>: <reason>}
   */
  <T> T firstAnswer(AdminCall<T> call) {
    return firstAnswer(root, call);
  }

  /** {@link #firstAnswer(AdminCall)} for commands outside {@code kvctl cluster}. */
  static <T> T firstAnswer(KvctlMain root, AdminCall<T> call) {
    return firstAnswer(root, root.global().timeout(), GlobalOptions.MAX_ATTEMPT_TIMEOUT, call);
  }

  /**
   * {@link #firstAnswer(KvctlMain, AdminCall)} for a call that changes the cluster and may take a
   * while (a leader transfer, a replica move). It waits at least {@code serverTime}, however short
   * {@code --timeout} is, so that the answer is the node's and not a deadline that leaves the
   * outcome unknown; and one attempt may take all the time left, as a slow answer here is no sign
   * of a dead node. The next endpoint is asked only when a node could not be asked; the {@link
   * KvException} of a node that answered with an error ends the command.
   */
  static <T> T firstAnswerToChange(KvctlMain root, Duration serverTime, AdminCall<T> call) {
    Duration timeout = root.global().timeout();
    Duration total = timeout.compareTo(serverTime) < 0 ? serverTime : timeout;
    return firstAnswer(root, total, total, call);
  }

  /**
   * {@link #firstAnswerToChange} for a change the node answers as soon as the meta group has
   * recorded its plan (a reshard, replica moves), which then goes on in the background.
   */
  static <T> T firstAnswerToPlan(KvctlMain root, AdminCall<T> call) {
    return firstAnswerToChange(root, ShardMoveReplicaCommand.SERVER_TIME_NO_WAIT, call);
  }

  private static <T> T firstAnswer(
      KvctlMain root, Duration timeout, Duration maxAttempt, AdminCall<T> call) {
    List<String> endpoints = root.global().endpoints(root.context().env());
    long budget = GrpcClusterAdmin.saturatedNanos(timeout);
    long start = System.nanoTime();
    List<EndpointHealth> failures = new ArrayList<>();
    @Nullable RuntimeException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      long remaining = budget - (System.nanoTime() - start);
      if (remaining <= 0) {
        failures.add(new EndpointHealth(endpoint, "NOT_TRIED", "--timeout passed"));
        continue;
      }
      long attempt =
          i == endpoints.size() - 1
              ? remaining
              : Math.min(remaining, GrpcClusterAdmin.saturatedNanos(maxAttempt));
      try {
        return call.call(root.context().admin(), endpoint, Duration.ofNanos(attempt));
      } catch (KvException e) {
        throw e; // the node answered, with an error
      } catch (RuntimeException e) {
        last = e;
        failures.add(EndpointHealth.failed(endpoint, e));
      }
    }
    String reason =
        failures.size() == 1
            ? failures.get(0).outcome()
            : String.join("; ", failures.stream().map(EndpointHealth::line).toList());
    throw new CommandFailedException(
        "no node answered at " + String.join(",", endpoints) + ": " + reason, last);
  }
}
