package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvctl del-range START [END]}: deletes the keys in [START, END). */
@Command(
    name = "del-range",
    sortOptions = false,
    description = {
      "Deletes the keys in [START, END).",
      "",
      "Deletes every key from START (inclusive) up to END (exclusive), in unsigned byte order;"
          + " without END, up to the last key. Prints 'deleted N keys' (0 is not an error)."
          + " Atomic within each shard, not across shards: a failure can leave some shards' keys"
          + " deleted and others not; running the command again is safe."
    })
public final class DeleteRangeCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Parameters(
      index = "0",
      paramLabel = "START",
      description = "First key, inclusive (UTF-8, or hex under --hex); not empty.")
  private String start;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "END",
      description = "Key after the last, exclusive; empty or absent: up to the last key.")
  private @Nullable String end;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    boolean hex = root.global().hex();
    ByteString from = ValueSource.argument(start, hex, "START");
    if (from.isEmpty()) {
      throw new UsageException(
          "START must not be empty; to delete every key: kvctl del-prefix --all-keys");
    }
    ByteString to = end == null ? ByteString.EMPTY : ValueSource.argument(end, hex, "END");
    long deleted;
    try (ClientLease client = root.client()) {
      deleted = client.kv().deleteRange(from, to);
    }
    root.printer().printDeleteRange(deleted, output.format());
    return ExitCodes.OK;
  }
}
