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
import ringkv.client.ReadOptions;
import ringkv.client.ReadOptions.Consistency;

/** {@code kvctl get KEY}: reads a key, linearizably unless asked otherwise. */
@Command(
    name = "get",
    sortOptions = false,
    description = {
      "Reads a key.",
      "",
      "Prints the value of KEY. The read is linearizable unless --consistency serializable or"
          + " --min-revision asks for a replica-local one. A missing key prints 'kvctl: key not"
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

  @Option(
      names = "--consistency",
      paramLabel = "LEVEL",
      converter = ConsistencyConverter.class,
      completionCandidates = ConsistencyConverter.Candidates.class,
      description = {
        "linearizable (reflects every write acknowledged before the read) or serializable (one"
            + " replica's local state: may be stale, cheaper). Default: linearizable."
      })
  private @Nullable Consistency consistency;

  @Option(
      names = "--min-revision",
      paramLabel = "N",
      description =
          "Read from a replica once it has applied revision N of the key's shard (for example"
              + " the revision of your own put). Implies a replica-local (serializable) read.")
  private @Nullable Long minRevision;

  @Override
  public Integer call() {
    ReadOptions options = readOptions(consistency, minRevision);
    ByteString k = ValueSource.key(key, root.global().hex());
    GetResult result;
    try (ClientLease client = root.client()) {
      result = client.kv().get(k, options);
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

  /**
   * The read options for {@code --consistency} and {@code --min-revision}.
   *
   * @throws UsageException when the revision is negative, or given with {@code --consistency
   *     linearizable}
   */
  static ReadOptions readOptions(@Nullable Consistency consistency, @Nullable Long minRevision) {
    if (minRevision == null) {
      return consistency == Consistency.SERIALIZABLE
          ? ReadOptions.SERIALIZABLE
          : ReadOptions.LINEARIZABLE;
    }
    if (minRevision < 0) {
      throw new UsageException("--min-revision must be 0 or more, got " + minRevision);
    }
    if (consistency == Consistency.LINEARIZABLE) {
      throw new UsageException(
          "--min-revision reads from one replica (serializable); it cannot be combined with"
              + " --consistency linearizable");
    }
    return ReadOptions.atLeast(minRevision);
  }
}
