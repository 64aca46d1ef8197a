package ringkv.cli;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ringkv.client.BatchResult;

/**
 * {@code kvctl batch}: the parent of {@code batch put} and {@code batch del}, which write many keys
 * in one request and print each item's outcome.
 */
@Command(
    name = "batch",
    description = {
      "Puts or deletes many keys in one request.",
      "",
      "The items are grouped by shard; each shard applies its group atomically, but groups of"
          + " different shards succeed or fail on their own. Prints one row per item: KEY,"
          + " STATUS, REVISION, SHARD (and ERROR when an item failed). Exits 1 when any item"
          + " failed, with one line on standard error."
    },
    subcommands = {BatchPutCommand.class, BatchDeleteCommand.class})
public final class BatchCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Spec private CommandSpec spec;

  /** {@code kvctl batch} without a subcommand is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: put or del");
  }

  KvctlMain root() {
    return root;
  }

  /**
   * Prints every item's outcome.
   *
   * @return {@link ExitCodes#OK} when every item was applied
   * @throws CommandFailedException when some item failed: {@code N of M items failed (shard S)}
   */
  static int report(KvctlMain root, BatchResult result, boolean deletes, BatchFormat format) {
    root.printer().printBatch(result, deletes, format);
    List<BatchResult.Item> failed = result.items().stream().filter(i -> !i.ok()).toList();
    if (failed.isEmpty()) {
      return ExitCodes.OK;
    }
    TreeSet<Integer> shards =
        failed.stream().map(BatchResult.Item::shardId).collect(Collectors.toCollection(TreeSet::new));
    throw new CommandFailedException(
        failed.size()
            + " of "
            + result.items().size()
            + " items failed ("
            + (shards.size() == 1 ? "shard " : "shards ")
            + shards.stream().map(String::valueOf).collect(Collectors.joining(", "))
            + ")");
  }
}
