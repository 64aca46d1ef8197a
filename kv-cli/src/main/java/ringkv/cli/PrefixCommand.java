package ringkv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.Scan;

/** {@code kvctl prefix P}: {@code kvctl scan --prefix P}, shorter. */
@Command(
    name = "prefix",
    sortOptions = false,
    description = {
      "Lists the keys that start with PREFIX, in key order: 'kvctl scan --prefix PREFIX'.",
      "",
      "Takes the options of scan; see 'kvctl scan --help'."
    })
public final class PrefixCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Parameters(
      index = "0",
      paramLabel = "PREFIX",
      description = "The prefix (UTF-8, or hex under --hex); empty: every key.")
  private String prefix;

  @Mixin private ScanOptions options;

  @Override
  public Integer call() {
    return options.run(
        root, Scan.prefix(ValueSource.argument(prefix, root.global().hex(), "PREFIX")));
  }
}
