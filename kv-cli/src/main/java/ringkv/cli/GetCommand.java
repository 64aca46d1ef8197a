package ringkv.cli;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.GetResult;
import ringkv.client.KvClient;

/** {@code kvctl get KEY}: reads a key, linearizably. */
@Command(
    name = "get",
    sortOptions = false,
    description = {
      "Reads a key.",
      "",
      "Prints the value of KEY (linearizable read). A missing key prints 'kvctl: key not"
          + " found' on standard error and exits with 3; json output also prints"
          + " {\"found\":false,...} on standard output."
    })
public final class GetCommand implements Callable<Integer> {
  static final String NOT_FOUND_LINE = "kvctl: key not found";

  @ParentCommand private KvctlMain root;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex under --hex).")
  private String key;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "raw",
      converter = OutputFormat.Converter.class,
      description = "raw (value bytes only), json or table. Default: ${DEFAULT-VALUE}.")
  private OutputFormat output;

  @Option(
      names = "--out-file",
      paramLabel = "PATH",
      description = "Write the value's bytes to this file instead of printing them (raw output).")
  private @Nullable Path outFile;

  @Override
  public Integer call() {
    ByteString k = ValueSource.key(key, root.global().hex());
    GetResult result;
    try (KvClient kv = root.openClient()) {
      result = kv.get(k);
    }
    if (result.kv() != null && outFile != null) {
      LocalFiles.write(outFile, result.kv().value());
    }
    if (!(outFile != null && output == OutputFormat.RAW)) {
      root.printer().printGet(k, result, output);
    }
    if (!result.found()) {
      root.context().err().println(NOT_FOUND_LINE);
      return ExitCodes.NOT_FOUND;
    }
    return ExitCodes.OK;
  }
}
