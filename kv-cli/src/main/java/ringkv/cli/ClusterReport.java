package ringkv.cli;

import java.util.List;

/** What a {@code kvctl cluster} subcommand prints: a table for people, or one JSON object. */
interface ClusterReport {
  List<String> table();

  JsonObject json();

  /** Prints the report in {@code format}. */
  default void print(ResultPrinter printer, ClusterFormat format) {
    if (format == ClusterFormat.JSON) {
      printer.line(json().toString());
    } else {
      table().forEach(printer::line);
    }
  }
}
