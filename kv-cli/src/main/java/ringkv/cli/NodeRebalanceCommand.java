package ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code kvctl node rebalance}: spreads replicas, and with them preferred leaders, evenly. */
@Command(
    name = "rebalance",
    sortOptions = false,
    description = {
      "Spreads the replicas evenly over the nodes (a node that just joined gets its share), in"
          + " rounds of replica moves from the most to the least loaded nodes.",
      "",
      "Each replica moves by a Raft membership change, at most one per shard at a time; the"
          + " meta leader then spreads the preferred leaders. By default waits for each round"
          + " (printing progress on standard error) until a round plans no move, and prints the"
          + " replicas and preferred leaders per node; with --no-wait, starts one round and"
          + " prints the layout its moves lead to."
    })
public final class NodeRebalanceCommand implements Callable<Integer> {
  @ParentCommand private NodeCommand node;

  @Mixin private WaitOptions wait = new WaitOptions();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    KvctlMain root = node.root();
    boolean json = output.format() == WriteFormat.JSON;
    ReplicaRebalance.Outcome outcome =
        ReplicaRebalance.run(root, wait.start(root, json), wait.noWait());
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("finished", outcome.balanced())
              .field("rounds", outcome.rounds())
              .field("replica_moves", outcome.replicaMoves())
              .objects("nodes", NodeLoad.json(outcome.map()))
              .number("epoch", Long.toUnsignedString(outcome.map().getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    String moves = NodeLoad.count(outcome.replicaMoves(), "replica move");
    printer.line(
        outcome.balanced()
            ? "replicas balanced after " + NodeLoad.count(outcome.rounds(), "round") + ": "
                + moves
            : moves + " started; once they finished (see kvctl cluster status):");
    NodeLoad.table(outcome.map()).forEach(printer::line);
    return ExitCodes.OK;
  }
}
