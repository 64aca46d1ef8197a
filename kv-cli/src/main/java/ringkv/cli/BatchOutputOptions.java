package ringkv.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options {@code batch put} and {@code batch del} share: where the items come from, and the output format. */
final class BatchOutputOptions {
  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Read the items from this file, one per line; '-' reads standard input.")
  @Nullable String file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = BatchFormat.Converter.class,
      description = "table or json. Default: ${DEFAULT-VALUE}.")
  BatchFormat output;
}
