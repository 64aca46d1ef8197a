package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kvctl del-prefix PREFIX}: deletes the keys that start with PREFIX; every key only with
 * {@code --all-keys}.
 */
@Command(
    name = "del-prefix",
    sortOptions = false,
    customSynopsis = {
      "kvctl del-prefix [OPTIONS] PREFIX",
      "   or: kvctl del-prefix [OPTIONS] --all-keys"
    },
    description = {
      "Deletes the keys that start with PREFIX.",
      "",
      "Prints 'deleted N keys' (0 is not an error). An empty PREFIX would delete every key, so"
          + " it is refused unless --all-keys is given. Atomic within each shard, not across"
          + " shards: a failure can leave some shards' keys deleted and others not; running the"
          + " command again is safe."
    })
public final class DeletePrefixCommand implements Callable<Integer> {
  /** The smallest key: every key (1 byte or more) sorts at or after it. */
  static final ByteString FIRST_KEY = ByteString.copyFrom(new byte[] {0});

  @ParentCommand private KvctlMain root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PREFIX",
      description = "The prefix (UTF-8, or hex under --hex).")
  private @Nullable String prefix;

  @Option(
      names = "--all-keys",
      description = "Delete every key in the cluster (PREFIX then absent or empty).")
  private boolean allKeys;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    ByteString p =
        prefix == null
            ? ByteString.EMPTY
            : ValueSource.argument(prefix, root.global().hex(), "PREFIX");
    if (allKeys && !p.isEmpty()) {
      throw new UsageException("--all-keys deletes every key: give no PREFIX with it");
    }
    if (!allKeys && p.isEmpty()) {
      throw new UsageException(
          prefix == null
              ? "missing PREFIX (to delete every key: --all-keys)"
              : "an empty PREFIX deletes every key: add --all-keys if that is what you mean");
    }
    long deleted;
    try (ClientLease client = root.client()) {
      // The API refuses an empty prefix; [0x00, no end) is every key.
      deleted =
          allKeys
              ? client.kv().deleteRange(FIRST_KEY, ByteString.EMPTY)
              : client.kv().deletePrefix(p);
    }
    root.printer().printDeleteRange(deleted, output.format());
    return ExitCodes.OK;
  }
}
