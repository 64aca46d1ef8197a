package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.Scan;

/** {@code kvctl scan [START [END]] [--prefix P]}: lists keys in key order, across all shards. */
@Command(
    name = "scan",
    sortOptions = false,
    description = {
      "Lists the keys in [START, END), or with a prefix, in key order (unsigned bytes).",
      "",
      "Without END the range runs to the last key; without START, from the first. Reads every"
          + " shard and merges them; each shard's part is linearizable, a page is not one global"
          + " snapshot. Fetches pages (--page-size keys each) one after another. Prints at most"
          + " --limit keys (default " + ScanOptions.DEFAULT_LIMIT + "); when more follow, a note"
          + " on standard error says so and the exit code is still 0. --all prints every key."
          + " Output: raw 'KEY<TAB>VALUE' lines (or KEY with --keys-only), json (one object per"
          + " key per line) or table."
    })
public final class ScanCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "START",
      description = "First key, inclusive (UTF-8, or hex under --hex); empty or absent: the first.")
  private @Nullable String start;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "END",
      description = "Key after the last, exclusive; empty or absent: to the last key.")
  private @Nullable String end;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "List the keys that start with P instead (no START or END then).")
  private @Nullable String prefix;

  @Mixin private ScanOptions options;

  @Override
  public Integer call() {
    boolean hex = root.global().hex();
    Scan range;
    if (prefix != null) {
      if (start != null || end != null) {
        throw new UsageException("give either START [END] or --prefix, not both");
      }
      range = Scan.prefix(ValueSource.argument(prefix, hex, "--prefix"));
    } else {
      range =
          Scan.range(
              start == null ? ByteString.EMPTY : ValueSource.argument(start, hex, "START"),
              end == null ? ByteString.EMPTY : ValueSource.argument(end, hex, "END"));
    }
    return options.run(root, range);
  }
}
