package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.api.v1.ShardInfo;

/**
 * {@code kvctl shard scale}: adds or removes shards, one reshard at a time, until the map has the
 * number asked for. Helm's hook Job runs it with the chart's {@code shards} value, so it decides
 * every step from the map it reads: rerun after an interruption, it first waits for the reshard
 * that was in flight, then goes on from wherever the map is.
 */
@Command(
    name = "scale",
    sortOptions = false,
    description = {
      "Adds or removes shards until the cluster has N, one reshard at a time, waiting for each"
          + " (as shard add and shard remove do).",
      "",
      "Adds shards on the least loaded nodes; removes the highest shard ids first. A reshard"
          + " in flight (an interrupted run) is waited for first; a cluster that has N shards"
          + " already is left alone. Safe to rerun."
    })
public final class ShardScaleCommand implements Callable<Integer> {
  @ParentCommand private ShardCommand shardCommand;

  @Option(
      names = "--to",
      paramLabel = "N",
      required = true,
      description = "The number of shards the cluster should have, at least 1.")
  private int target;

  @Mixin private WaitTimeoutOption waitTimeout = new WaitTimeoutOption();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (target < 1) {
      throw new UsageException("--to must be at least 1, got " + target);
    }
    KvctlMain root = shardCommand.root();
    boolean json = output.format() == WriteFormat.JSON;
    MapWait wait = waitTimeout.start(root, json);
    ClusterMap map = wait.read();
    int from = map.getShardsCount();
    List<Integer> added = new ArrayList<>();
    List<Integer> removed = new ArrayList<>();
    while (true) {
      if (Reshards.inFlight(map)) {
        map = wait.until(map, m -> !Reshards.inFlight(m), inFlight(map));
      }
      int shards = map.getShardsCount();
      if (shards == target) {
        break;
      }
      if (shards < target) {
        AddShardResponse response = Reshards.add(root, AddShardRequest.getDefaultInstance());
        added.add(response.getShardId());
        map =
            Reshards.awaitAdded(
                wait, response.getShardId(), response.getPartitionsToMove(), response.getMap());
      } else {
        int shard = highestShard(map);
        RemoveShardResponse response = Reshards.remove(root, shard);
        removed.add(shard);
        map = Reshards.awaitRemoved(wait, shard, response.getPartitionsToMove(), response.getMap());
      }
    }
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("shards", map.getShardsCount())
              .field("from", from)
              .numbers("added", added)
              .numbers("removed", removed)
              .number("epoch", Long.toUnsignedString(map.getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    List<String> steps = new ArrayList<>();
    if (!added.isEmpty()) {
      steps.add("added " + PartitionMoveSummary.shards(added));
    }
    if (!removed.isEmpty()) {
      steps.add("removed " + PartitionMoveSummary.shards(removed));
    }
    printer.line(
        steps.isEmpty()
            ? "already " + NodeLoad.count(target, "shard") + "; nothing to do"
            : "scaled to " + NodeLoad.count(target, "shard") + ": " + String.join(", ", steps));
    return ExitCodes.OK;
  }

  private static int highestShard(ClusterMap map) {
    return map.getShardsList().stream().mapToInt(ShardInfo::getId).max().orElseThrow();
  }

  /** The reshard a run before this one started: its moves planned are those the map shows now. */
  private static WaitProgress inFlight(ClusterMap map) {
    return WaitProgress.moves(
        "reshard in flight",
        "partitions",
        map.getPartitionMovesCount(),
        ClusterMap::getPartitionMovesCount);
  }
}
