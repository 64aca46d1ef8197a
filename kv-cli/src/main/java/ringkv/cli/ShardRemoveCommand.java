package ringkv.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.RemoveShardResponse;

/** {@code kvctl shard remove}: moves a shard's partitions to the others, then removes it. */
@Command(
    name = "remove",
    sortOptions = false,
    description = {
      "Removes a shard: its partitions move to the other shards, then the map forgets it.",
      "",
      "Only the shard's own partitions move; the meta leader moves them in the background, a"
          + " few at a time, while the cluster serves, and the shard's nodes drop its replicas"
          + " at the end. By default waits until the shard is gone (printing progress on"
          + " standard error); with --no-wait, answers as soon as the plan is in the map."
          + " The last shard cannot be removed. One reshard at a time."
    })
public final class ShardRemoveCommand implements Callable<Integer> {
  @ParentCommand private ShardCommand shardCommand;

  @Parameters(index = "0", paramLabel = "SHARD", description = "The shard id.")
  private int shard;

  @Mixin private WaitOptions wait = new WaitOptions();

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    if (shard < 0) {
      throw new UsageException("SHARD must be >= 0, got " + shard);
    }
    KvctlMain root = shardCommand.root();
    RemoveShardResponse response = Reshards.remove(root, shard);
    int planned = response.getPartitionsToMove();
    List<Integer> targets =
        response.getMap().getPartitionMovesList().stream()
            .filter(m -> m.getFromShard() == shard)
            .map(PartitionMove::getToShard)
            .distinct()
            .sorted()
            .toList();
    boolean json = output.format() == WriteFormat.JSON;
    ClusterMap map = response.getMap();
    if (!wait.noWait()) {
      map = Reshards.awaitRemoved(wait.start(root, json), shard, planned, map);
    }
    boolean gone = Reshards.isGone(map, shard);
    ResultPrinter printer = root.printer();
    if (json) {
      printer.line(
          new JsonObject()
              .field("shard", shard)
              .field("finished", gone)
              .field("partitions_to_move", planned)
              .field("moves_left", map.getPartitionMovesCount())
              .numbers("to_shards", targets)
              .number("epoch", Long.toUnsignedString(map.getEpoch()))
              .toString());
      return ExitCodes.OK;
    }
    String to = targets.isEmpty() ? "" : " to " + PartitionMoveSummary.shards(targets);
    printer.line(
        gone
            ? "shard " + shard + " removed: " + planned + " partitions moved" + to
            : "shard "
                + shard
                + " removing: "
                + map.getPartitionMovesCount()
                + " of "
                + planned
                + " partitions still to move"
                + to
                + " (see kvctl cluster status)");
    return ExitCodes.OK;
  }
}
