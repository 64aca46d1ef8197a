package ringkv.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;

/** {@code kvctl node drain}: makes a node hand over its work before it stops. */
@Command(
    name = "drain",
    sortOptions = false,
    description = {
      "Drains a node before it stops: moves every leadership it holds to a caught-up replica"
          + " elsewhere, makes it refuse new requests (clients retry on other nodes), and waits"
          + " for the requests in flight.",
      "",
      "--timeout bounds the drain (default here 60s, not 10s); when it passes, prints what is"
          + " left and exits 1. Draining a drained node is fine. The node stays draining until"
          + " its process stops; a restarted node serves again. Kubernetes runs this in the"
          + " pod's preStop hook."
    })
public final class NodeDrainCommand implements Callable<Integer> {
  /** How long the node may drain when --timeout is not given. */
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);

  /** The node answers once its drain is over; a little more, so that its report arrives. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

  /** The node refuses longer drains. */
  static final Duration MAX_DRAIN_TIMEOUT = Duration.ofMinutes(10);

  @ParentCommand private NodeCommand node;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NODE", description = "The node's id, e.g. n2.")
  private String nodeId;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (nodeId.isBlank()) {
      throw new UsageException("NODE must name a node");
    }
    Duration drainTimeout =
        timeoutGiven() ? node.root().global().timeout() : DEFAULT_DRAIN_TIMEOUT;
    if (drainTimeout.compareTo(MAX_DRAIN_TIMEOUT) > 0) {
      throw new UsageException("--timeout for node drain must be at most 10m, got " + drainTimeout);
    }
    DrainNodeRequest request =
        DrainNodeRequest.newBuilder()
            .setNodeId(nodeId)
            .setTimeoutMillis(Math.max(1, drainTimeout.toMillis()))
            .build();
    DrainNodeResponse report =
        ClusterCommand.firstAnswerToChange(
            node.root(),
            drainTimeout.plus(ANSWER_MARGIN),
            (admin, endpoint, timeout) -> admin.drainNode(endpoint, request, timeout));
    ResultPrinter printer = node.root().printer();
    if (output.format() == WriteFormat.JSON) {
      printer.line(
          new JsonObject()
              .field("node", report.getNodeId())
              .field("drained", report.getDrained())
              .field("leaderships_moved", report.getLeadershipsMoved())
              .strings("leaderships_left", report.getLeadershipsLeftList())
              .field("requests_finished", report.getRequestsFinished())
              .field("requests_left", report.getRequestsLeft())
              .field("elapsed_ms", report.getElapsedMillis())
              .toString());
      return report.getDrained() ? ExitCodes.OK : ExitCodes.FAILED;
    }
    String seconds = String.format(Locale.ROOT, "%.1f s", report.getElapsedMillis() / 1000.0);
    if (!report.getDrained()) {
      throw new CommandFailedException(
          "node "
              + report.getNodeId()
              + " not drained within "
              + seconds
              + ": still leads "
              + (report.getLeadershipsLeftCount() == 0
                  ? "nothing"
                  : String.join(", ", report.getLeadershipsLeftList()))
              + ", "
              + report.getRequestsLeft()
              + " requests in flight");
    }
    printer.line(
        "node "
            + report.getNodeId()
            + " drained in "
            + seconds
            + ": "
            + report.getLeadershipsMoved()
            + " leaderships moved, "
            + report.getRequestsFinished()
            + " requests finished");
    return ExitCodes.OK;
  }

  /** Whether --timeout was on the command line (it is a global option, 10s by default). */
  private boolean timeoutGiven() {
    for (ParseResult r = spec.root().commandLine().getParseResult(); r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--timeout")) {
        return true;
      }
    }
    return false;
  }
}
