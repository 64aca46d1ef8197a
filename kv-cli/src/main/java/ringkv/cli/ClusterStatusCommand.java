package ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.GetClusterStatusResponse;

/** {@code kvctl cluster status}: every node and shard, as one node sees them. */
@Command(
    name = "status",
    sortOptions = false,
    description = {
      "Shows the nodes and shards of the cluster.",
      "",
      "Nodes: id, addresses, UP or DOWN (with the error), groups hosted, leaders held. Shards:"
          + " replicas (* marks the leader), leader, partitions owned, keys, applied index."
          + " A node that is down does not fail the command: it exits 0 when any endpoint"
          + " answers, 1 when none does."
    })
public final class ClusterStatusCommand implements Callable<Integer> {
  @ParentCommand private ClusterCommand cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = ClusterFormat.Converter.class,
      description = "table or json. Default: ${DEFAULT-VALUE}.")
  private ClusterFormat output;

  @Override
  public Integer call() {
    GetClusterStatusResponse response = cluster.firstAnswer(ClusterAdmin::clusterStatus);
    ClusterStatusReport report = ClusterStatusReport.of(response);
    report.print(cluster.root().printer(), output);
    return ExitCodes.OK;
  }
}
