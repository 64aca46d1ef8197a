package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ShardInfo;

/** {@code kvctl shard add}: adds a shard and moves its share of the partitions to it. */
@Command(
    name = "add",
    sortOptions = false,
    description = {
      "Adds a shard: a new Raft group, and the partitions that the bounded-load assigner gives it.",
      "",
      "Only partitions that go to the new shard move; the meta leader moves them in the"
          + " background, a few at a time, while the cluster serves. By default waits until"
          + " they have all moved (printing progress on standard error) and prints the new"
          + " shard, its replicas and the partitions it owns; with --no-wait, prints the shard"
          + " as soon as the plan is in the map. One reshard at a time."
    })
public final class ShardAddCommand implements Callable<Integer> {
  @ParentCommand private ShardCommand shardCommand;

  @Option(
      names = "--replicas-on",
      paramLabel = "NODES",
      description =
          "Comma-separated node ids for the new shard's replicas, as many as the replication"
              + " factor; the first is the preferred leader. Default: the least loaded nodes.")
  private @Nullable String replicasOn;

  @Mixin private WaitOptions wait = new WaitOptions();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    AddShardRequest request =
        AddShardRequest.newBuilder().addAllReplicaNodeIds(nodes(replicasOn)).build();
    KvctlMain root = shardCommand.root();
    AddShardResponse response = Reshards.add(root, request);
    int shard = response.getShardId();
    int planned = response.getPartitionsToMove();
    boolean json = output.format() == WriteFormat.JSON;
    ClusterMap map = response.getMap();
    if (!wait.noWait()) {
      map = Reshards.awaitAdded(wait.start(root, json), shard, planned, map);
    }
    ShardInfo info =
        map.getShardsList().stream()
            .filter(s -> s.getId() == shard)
            .findFirst()
            .orElseThrow(
                () -> new CommandFailedException("the node's answer has no shard " + shard));
    int owned = (int) map.getAssignmentList().stream().filter(owner -> owner == shard).count();
    int left = map.getPartitionMovesCount();
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("shard", shard)
              .strings("replicas", info.getReplicasList())
              .field("finished", left == 0)
              .field("partitions", owned)
              .field("partitions_to_move", planned)
              .field("moves_left", left)
              .number("epoch", Long.toUnsignedString(map.getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    String head =
        "shard "
            + shard
            + " added: replicas "
            + (info.getReplicasCount() == 0 ? "-" : String.join(", ", info.getReplicasList()));
    printer.line(
        left == 0
            ? head + "; owns " + owned + " partitions (" + planned + " moved in)"
            : head + "; " + left + " of " + planned + " partitions still to move in"
                + " (see kvctl cluster status)");
    return ExitCodes.OK;
  }

  /** The node ids of {@code --replicas-on}; empty without it. */
  static List<String> nodes(@Nullable String replicasOn) {
    if (replicasOn == null) {
      return List.of();
    }
    List<String> nodes = new ArrayList<>();
    for (String entry : replicasOn.split(",", -1)) {
      String node = entry.strip();
      if (node.isEmpty()) {
        throw new UsageException("--replicas-on has an empty node id: '" + replicasOn + "'");
      }
      if (nodes.contains(node)) {
        throw new UsageException("--replicas-on names node " + node + " twice");
      }
      nodes.add(node);
    }
    return List.copyOf(nodes);
  }
}
