package ringkv.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.MoveReplicaResponse;
import ringkv.api.v1.ShardInfo;

/** {@code kvctl shard move-replica}: moves one replica of a shard to a node that has none. */
@Command(
    name = "move-replica",
    sortOptions = false,
    description = {
      "Moves one replica of a shard from one node to another that holds none.",
      "",
      "The new node joins the shard's Raft group and catches up, the old one leaves, in one"
          + " membership change, so the shard keeps its quorum throughout; the meta leader"
          + " carries it out. By default waits until the move is done (the node gives up"
          + " waiting after 60 s; the move goes on) and prints the shard's replicas; with"
          + " --no-wait, prints the move as started. Waits for the node's answer even when"
          + " --timeout is shorter."
    })
public final class ShardMoveReplicaCommand implements Callable<Integer> {
  /** The node waits up to 60 s for the move after up to 10 s for the meta group; a little more. */
  static final Duration SERVER_TIME_WAIT = Duration.ofSeconds(75);

  /** The node waits up to 10 s for the meta group to record the move; a little more. */
  static final Duration SERVER_TIME_NO_WAIT = Duration.ofSeconds(15);

  @ParentCommand private ShardCommand shardCommand;

  @Parameters(index = "0", paramLabel = "SHARD", description = "The shard id.")
  private int shard;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "NODE",
      description = "The node whose replica moves.")
  private String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "NODE",
      description = "The node that gets it; it must hold no replica of the shard.")
  private String to;

  @Option(
      names = "--no-wait",
      description = "Answer once the move is recorded as started, not when it is done.")
  private boolean noWait;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (shard < 0) {
      throw new UsageException("SHARD must be >= 0, got " + shard);
    }
    if (from.isBlank() || to.isBlank()) {
      throw new UsageException("--from and --to must name nodes");
    }
    if (from.equals(to)) {
      throw new UsageException("--from and --to name the same node, " + from);
    }
    MoveReplicaRequest request =
        MoveReplicaRequest.newBuilder()
            .setShardId(shard)
            .setFromNodeId(from)
            .setToNodeId(to)
            .setWait(!noWait)
            .build();
    MoveReplicaResponse response =
        ClusterCommand.firstAnswerToChange(
            shardCommand.root(),
            noWait ? SERVER_TIME_NO_WAIT : SERVER_TIME_WAIT,
            (admin, endpoint, timeout) -> admin.moveReplica(endpoint, request, timeout));
    ShardInfo info =
        response.getMap().getShardsList().stream()
            .filter(s -> s.getId() == shard)
            .findFirst()
            .orElseThrow(
                () -> new CommandFailedException("the node's answer has no shard " + shard));
    ShardMove move = ShardMove.of(info);
    boolean moved = move == null && info.getReplicasList().contains(to);
    ResultPrinter printer = shardCommand.root().printer();
    if (output.format() == WriteFormat.JSON) {
      printer.line(
          new JsonObject()
              .field("shard", shard)
              .field("from", from)
              .field("to", to)
              .field("finished", moved)
              .strings("replicas", info.getReplicasList())
              .field("move", ShardMove.json(move))
              .number("epoch", Long.toUnsignedString(response.getMap().getEpoch()))
              .toString());
    } else if (move != null) {
      printer.line(
          "shard "
              + shard
              + ": moving "
              + move.from()
              + " -> "
              + move.to()
              + " (started at epoch "
              + Long.toUnsignedString(move.startedEpoch())
              + ")");
    } else {
      printer.line(
          "shard "
              + shard
              + ": replicas "
              + (info.getReplicasCount() == 0 ? "-" : String.join(", ", info.getReplicasList()))
              + (moved ? " (moved " + from + " -> " + to + ")" : ""));
    }
    return ExitCodes.OK;
  }
}
