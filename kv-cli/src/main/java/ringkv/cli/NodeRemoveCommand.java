package ringkv.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.RemoveNodeResponse;
import ringkv.api.v1.ShardInfo;

/** {@code kvctl node remove}: moves a node's replicas away, then the map forgets it. */
@Command(
    name = "remove",
    sortOptions = false,
    description = {
      "Removes a node: each of its replicas moves to another node, then the map forgets it and"
          + " it can be stopped.",
      "",
      "Each replica moves by a Raft membership change, so no shard drops below a quorum; a meta"
          + " member hands its seat over. By default waits until the map has forgotten the node"
          + " (printing progress on standard error); with --no-wait, answers once the moves are"
          + " planned. Refused when fewer nodes than the replication would remain."
    })
public final class NodeRemoveCommand implements Callable<Integer> {
  @ParentCommand private NodeCommand node;

  @Parameters(index = "0", paramLabel = "NODE", description = "The node's id, e.g. n4.")
  private String nodeId;

  @Mixin private WaitOptions wait = new WaitOptions();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (nodeId.isBlank()) {
      throw new UsageException("NODE must name a node");
    }
    KvctlMain root = node.root();
    RemoveNodeRequest request = RemoveNodeRequest.newBuilder().setNodeId(nodeId).build();
    RemoveNodeResponse response =
        ClusterCommand.firstAnswerToPlan(
            root,
            (admin, endpoint, timeout) -> admin.removeNode(endpoint, request, timeout));
    int planned = response.getReplicaMoves();
    // the answer's map names the targets; once the moves finished the map no longer does
    List<String> targets = targets(response.getMap());
    boolean json = output.format() == WriteFormat.JSON;
    ClusterMap map = response.getMap();
    if (!wait.noWait()) {
      WaitProgress progress =
          WaitProgress.moves("node " + nodeId, "replicas", planned, this::replicasHeld);
      map = wait.start(root, json).until(map, this::isGone, progress);
    }
    boolean gone = isGone(map);
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("node", nodeId)
              .field("finished", gone)
              .field("replicas_to_move", planned)
              .field("replicas_left", replicasHeld(map))
              .strings("to_nodes", targets)
              .number("epoch", Long.toUnsignedString(map.getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    String to = targets.isEmpty() ? "" : " to " + String.join(", ", targets);
    printer.line(
        gone
            ? "node " + nodeId + " removed: " + planned + " replicas moved" + to
                + "; it can be stopped"
            : "node " + nodeId + " removing: " + replicasHeld(map) + " of " + planned
                + " replicas still to move" + to + " (see kvctl cluster status)");
    return ExitCodes.OK;
  }

  /** The nodes the replica moves off this node go to, by id. */
  private List<String> targets(ClusterMap map) {
    return map.getShardsList().stream()
        .filter(s -> s.hasMove() && s.getMove().getFromNodeId().equals(nodeId))
        .map(s -> s.getMove().getToNodeId())
        .distinct()
        .sorted()
        .toList();
  }

  /** Shards that still list the node as a replica (a move off it swaps it out at its end). */
  private int replicasHeld(ClusterMap map) {
    return (int)
        map.getShardsList().stream()
            .map(ShardInfo::getReplicasList)
            .filter(replicas -> replicas.contains(nodeId))
            .count();
  }

  /** The map has forgotten the node: it holds nothing, not even a meta seat. */
  private boolean isGone(ClusterMap map) {
    return map.getNodesList().stream().map(NodeInfo::getId).noneMatch(nodeId::equals);
  }
}
