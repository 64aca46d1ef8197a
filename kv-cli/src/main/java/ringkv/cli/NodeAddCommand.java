package ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;

/** {@code kvctl node add}: waits for a node to join, then gives it its share of replicas. */
@Command(
    name = "add",
    sortOptions = false,
    description = {
      "Adds a node: waits until it has joined, then rebalances replicas (as node rebalance), so"
          + " that it gets its share of replicas and preferred leaders.",
      "",
      "A node joins by being started with kv-server --join; kvctl does not start it. With"
          + " --no-wait, still waits for the join, then starts one rebalance round and answers."
    })
public final class NodeAddCommand implements Callable<Integer> {
  @ParentCommand private NodeCommand node;

  @Parameters(index = "0", paramLabel = "NODE", description = "The new node's id, e.g. n4.")
  private String nodeId;

  @Mixin private WaitOptions wait = new WaitOptions();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (nodeId.isBlank()) {
      throw new UsageException("NODE must name a node");
    }
    KvctlMain root = node.root();
    boolean json = output.format() == WriteFormat.JSON;
    MapWait mapWait = wait.start(root, json);
    ClusterMap joined = mapWait.until(mapWait.read(), this::hasJoined, joining(root));
    if (joined.getNodesList().stream().anyMatch(n -> n.getId().equals(nodeId) && n.getLeaving())) {
      throw new CommandFailedException(
          "node " + nodeId + " is being removed (kvctl node remove); it gets no replicas");
    }
    ReplicaRebalance.Outcome outcome = ReplicaRebalance.run(root, mapWait, wait.noWait());
    NodeLoad load = NodeLoad.of(outcome.map(), nodeId);
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("node", nodeId)
              .field("finished", outcome.balanced())
              .field("replicas", load.replicas())
              .field("leads", load.leads())
              .field("rounds", outcome.rounds())
              .field("replica_moves", outcome.replicaMoves())
              .number("epoch", Long.toUnsignedString(outcome.map().getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    printer.line(
        outcome.balanced()
            ? "node " + nodeId + " added: " + load.summary()
            : "node " + nodeId + " joined: " + load.summary() + " once "
                + NodeLoad.count(outcome.replicaMoves(), "replica move")
                + " finished (see kvctl cluster status)");
    return ExitCodes.OK;
  }

  private boolean hasJoined(ClusterMap map) {
    return map.getNodesList().stream().map(NodeInfo::getId).anyMatch(nodeId::equals);
  }

  /** kvctl does not start nodes: while it waits, it says how the node joins. */
  private WaitProgress joining(KvctlMain root) {
    String start =
        "start it with kv-server --node-id " + nodeId + " --join "
            + String.join(",", root.global().endpoints(root.context().env()));
    return new WaitProgress() {
      @Override
      public String line(ClusterMap map) {
        return hasJoined(map)
            ? "node " + nodeId + " joined"
            : "waiting for node " + nodeId + " to join (" + start + ")";
      }

      @Override
      public String ranOut(ClusterMap map, String waitTimeout) {
        return "node " + nodeId + " has not joined when --wait-timeout " + waitTimeout
            + " ran out; " + start;
      }

      @Override
      public String interrupted() {
        return "node " + nodeId + ": interrupted while waiting for it to join; nothing changed";
      }
    };
  }
}
