package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.ReplicaSnapshot;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;

/** {@code kvctl snapshot}: takes a snapshot of shards or of the meta group now. */
@Command(
    name = "snapshot",
    sortOptions = false,
    description = {
      "Takes a snapshot of a group now, on each of its replicas.",
      "",
      "Snapshots are also taken automatically (every snapshot-every-entries log entries); an on"
          + " demand one is useful before maintenance, and lets the log be purged behind it."
          + " Prints one line per replica: group, node, and the log index its snapshot covers."
    })
public final class SnapshotCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Target target;

  static final class Target {
    @Option(names = "--shard", paramLabel = "ID", description = "A shard id (repeatable).")
    List<Integer> shards;

    @Option(names = "--meta", description = "The meta group (the cluster map).")
    boolean meta;

    @Option(names = "--all", description = "Every shard and the meta group.")
    boolean all;
  }

  @Override
  public Integer call() {
    List<TakeSnapshotRequest> requests = new ArrayList<>();
    if (target.all) {
      for (ShardInfo shard : ClusterCommand.firstAnswer(root, ClusterAdmin::clusterMap).getMap().getShardsList()) {
        requests.add(TakeSnapshotRequest.newBuilder().setShardId(shard.getId()).build());
      }
      requests.add(TakeSnapshotRequest.newBuilder().setMeta(true).build());
    } else if (target.meta) {
      requests.add(TakeSnapshotRequest.newBuilder().setMeta(true).build());
    } else {
      for (int shard : target.shards) {
        if (shard < 0) {
          throw new UsageException("--shard must be >= 0, got " + shard);
        }
        requests.add(TakeSnapshotRequest.newBuilder().setShardId(shard).build());
      }
    }
    int failed = 0;
    ResultPrinter printer = root.printer();
    for (TakeSnapshotRequest request : requests) {
      String group = request.hasMeta() ? "meta" : "shard " + request.getShardId();
      TakeSnapshotResponse response =
          ClusterCommand.firstAnswer(root, (admin, endpoint, timeout) -> admin.takeSnapshot(endpoint, request, timeout));
      for (ReplicaSnapshot replica : response.getReplicasList()) {
        if (replica.getError().isEmpty()) {
          printer.line(group + "\t" + replica.getNodeId() + "\tindex " + replica.getIndex());
        } else {
          failed++;
          printer.line(group + "\t" + replica.getNodeId() + "\tFAILED: " + replica.getError());
        }
      }
    }
    if (failed > 0) {
      throw new CommandFailedException(failed + " replica(s) could not take a snapshot (see above)", null);
    }
    return ExitCodes.OK;
  }
}
