package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.BatchResult;

/** {@code kvctl batch put KEY=VALUE...}: puts many keys in one request. */
@Command(
    name = "put",
    sortOptions = false,
    description = {
      "Puts many keys in one request.",
      "",
      "Items are KEY=VALUE: the key runs up to the first '=', the value is the rest (may be"
          + " empty). They come from the arguments, or from --file, one per line ('-' reads"
          + " standard input; lines are taken as they are, blank lines skipped). Each key once."
          + " Atomic per shard, not across shards: see 'kvctl batch --help'."
    })
public final class BatchPutCommand implements Callable<Integer> {
  @ParentCommand private BatchCommand batch;

  @Parameters(
      paramLabel = "KEY=VALUE",
      arity = "0..*",
      description = "The items (UTF-8, or hex under --hex: 00ff=0102).")
  private List<String> items = new ArrayList<>();

  @Mixin private BatchOutputOptions options = new BatchOutputOptions();

  @Override
  public Integer call() {
    KvctlMain root = batch.root();
    Map<ByteString, ByteString> puts =
        BatchItems.puts(items, options.file, root.global().hex(), root.stdin());
    BatchResult result;
    try (ClientLease client = root.client()) {
      result = client.kv().batchPut(puts);
    }
    return BatchCommand.report(root, result, false, options.output);
  }
}
