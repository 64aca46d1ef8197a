package ringkv.cli;

import picocli.CommandLine.Option;

/** The {@code -o/--output text|json} option of the commands that print one write's result (a picocli mixin). */
final class WriteOutputOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = WriteFormat.Converter.class,
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  private WriteFormat format = WriteFormat.TEXT;

  WriteFormat format() {
    return format;
  }
}
