package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.BatchResult;

/** {@code kvctl batch del KEY...}: deletes many keys in one request. */
@Command(
    name = "del",
    aliases = "delete",
    sortOptions = false,
    description = {
      "Deletes many keys in one request.",
      "",
      "Keys come from the arguments, or from --file, one per line ('-' reads standard input;"
          + " lines are taken as they are, blank lines skipped). Each key once. STATUS is"
          + " DELETED, or NOT_FOUND when there was no such key (not an error). Atomic per shard,"
          + " not across shards: see 'kvctl batch --help'."
    })
public final class BatchDeleteCommand implements Callable<Integer> {
  @ParentCommand private BatchCommand batch;

  @Parameters(
      paramLabel = "KEY",
      arity = "0..*",
      description = "The keys (UTF-8, or hex under --hex).")
  private List<String> keys = new ArrayList<>();

  @Mixin private BatchOutputOptions options = new BatchOutputOptions();

  @Override
  public Integer call() {
    KvctlMain root = batch.root();
    List<ByteString> delete = BatchItems.keys(keys, options.file, root.global().hex(), root.stdin());
    BatchResult result;
    try (ClientLease client = root.client()) {
      result = client.kv().batchDelete(delete);
    }
    return BatchCommand.report(root, result, true, options.output);
  }
}
