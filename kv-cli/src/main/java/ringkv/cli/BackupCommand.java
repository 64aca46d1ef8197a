package ringkv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.BackupManifest;
import ringkv.client.backup.ClusterBackup;

/** {@code kvctl backup --to DIR}: a snapshot of every shard plus the cluster map, with a manifest. */
@Command(
    name = "backup",
    sortOptions = false,
    description = {
      "Backs up the whole cluster into a new directory.",
      "",
      "Writes one snapshot file per shard (taken after the replica applied every write"
          + " acknowledged before the backup reached that shard) and manifest.json (cluster id,"
          + " epoch, cluster map, and per shard: index, size, key count, CRC32C, SHA-256). The"
          + " manifest is written last: a directory without one is an unfinished backup."
          + " Consistent per shard, not one instant across shards. Restore with kvctl restore."
    })
public final class BackupCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "New or empty directory for the backup.")
  private Path dir;

  @Override
  public Integer call() {
    ResultPrinter printer = root.printer();
    BackupManifest manifest;
    try {
      manifest = ClusterBackup.backup(root.global().endpoints(root.context().env()), dir, printer::line);
    } catch (IOException e) {
      throw new CommandFailedException("backup failed: " + e.getMessage(), e);
    }
    long keys = manifest.getShardsList().stream().mapToLong(s -> s.getKeyCount()).sum();
    long bytes = manifest.getShardsList().stream().mapToLong(s -> s.getSizeBytes()).sum();
    printer.line(String.format("backup of cluster %s (epoch %d): %d shards, %d keys, %d bytes in %s",
        manifest.getClusterId(), manifest.getEpoch(), manifest.getShardsCount(), keys, bytes, dir));
    return ExitCodes.OK;
  }
}
