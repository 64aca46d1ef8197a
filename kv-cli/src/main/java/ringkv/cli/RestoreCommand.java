package ringkv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.client.backup.ClusterBackup;

/** {@code kvctl restore --from DIR}: writes a backup's keys and values into a cluster. */
@Command(
    name = "restore",
    sortOptions = false,
    description = {
      "Restores a backup (from kvctl backup) into the cluster.",
      "",
      "Checks every file against the manifest first (size, SHA-256, CRC32C), then writes every"
          + " key and value with batch puts, routed by this cluster's own map: the cluster may"
          + " have any number of nodes and shards. Revisions and versions start afresh. Refuses a"
          + " cluster that already holds keys unless --into-non-empty. Safe to run again after a"
          + " failure (it only puts)."
    })
public final class RestoreCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "A backup directory.")
  private Path dir;

  @Option(names = "--into-non-empty", description = "Allow a cluster that already holds keys (same keys are overwritten).")
  private boolean intoNonEmpty;

  @Override
  public Integer call() {
    ResultPrinter printer = root.printer();
    ClusterBackup.RestoreReport report;
    try (ClientLease client = root.client()) {
      report = ClusterBackup.restore(client.kv(), dir, intoNonEmpty, printer::line);
    } catch (IOException e) {
      throw new CommandFailedException("restore failed: " + e.getMessage(), e);
    }
    printer.line(String.format("restored %d keys (%d bytes) from %d shard files in %s",
        report.keys(), report.bytes(), report.shardFiles(), dir));
    return ExitCodes.OK;
  }
}
