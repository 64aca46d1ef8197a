package ringkv.cli;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.PutResult;
import ringkv.client.WriteOptions;

/** {@code kvctl put KEY [VALUE]}: sets a key. */
@Command(
    name = "put",
    sortOptions = false,
    description = {
      "Sets a key.",
      "",
      "Prints 'OK revision=R shard=S'. The value comes from VALUE, from standard input when"
          + " VALUE is '-', or from --file; input and files are taken byte for byte. A VALUE"
          + " that starts with '-' goes after '--': kvctl put k -- -1."
    })
public final class PutCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex under --hex).")
  private String key;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value (UTF-8, or hex under --hex); '-' reads standard input.")
  private @Nullable String value;

  @Option(names = "--file", paramLabel = "PATH", description = "Read the value from this file.")
  private @Nullable Path file;

  @Option(names = "--prev-kv", description = "Also print the key's previous value, if it had one.")
  private boolean prevKv;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    boolean hex = root.global().hex();
    ByteString k = ValueSource.key(key, hex);
    ByteString v = ValueSource.value(value, file, hex, root.stdin());
    try (ClientLease client = root.client()) {
      PutResult result =
          client.kv().put(k, v, prevKv ? WriteOptions.RETURN_PREVIOUS : WriteOptions.DEFAULT);
      root.printer().printPut(result, prevKv, output.format());
    }
    return ExitCodes.OK;
  }
}
