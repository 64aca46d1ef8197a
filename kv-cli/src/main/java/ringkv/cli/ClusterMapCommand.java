package ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.GetClusterMapResponse;

/** {@code kvctl cluster map}: the partition table, summed up per shard. */
@Command(
    name = "map",
    sortOptions = false,
    description = {
      "Shows the partition table per shard.",
      "",
      "Per shard: partitions owned, share of the key space (partitions / P), the bounded-loads"
          + " cap ceil((1 + eps) * P / S), and the replicas (* marks the leader the answering"
          + " node knows of)."
    })
public final class ClusterMapCommand implements Callable<Integer> {
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
    GetClusterMapResponse response = cluster.firstAnswer(ClusterAdmin::clusterMap);
    ClusterMapReport report = ClusterMapReport.of(response);
    report.print(cluster.root().printer(), output);
    return ExitCodes.OK;
  }
}
