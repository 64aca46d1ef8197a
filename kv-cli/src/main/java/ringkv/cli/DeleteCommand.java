package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.DeleteResult;
import ringkv.client.WriteOptions;

/** {@code kvctl del KEY}: deletes a key; deleting a missing key is not an error. */
@Command(
    name = "del",
    aliases = "delete",
    sortOptions = false,
    description = {
      "Deletes a key.",
      "",
      "Prints 'deleted revision=R shard=S', or 'not found' when there was no such key; the"
          + " exit code is 0 in both cases."
    })
public final class DeleteCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex under --hex).")
  private String key;

  @Option(names = "--prev-kv", description = "Also print the deleted value.")
  private boolean prevKv;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    ByteString k = ValueSource.key(key, root.global().hex());
    try (ClientLease client = root.client()) {
      DeleteResult result =
          client.kv().delete(k, prevKv ? WriteOptions.RETURN_PREVIOUS : WriteOptions.DEFAULT);
      root.printer().printDelete(result, prevKv, output.format());
    }
    return ExitCodes.OK;
  }
}
