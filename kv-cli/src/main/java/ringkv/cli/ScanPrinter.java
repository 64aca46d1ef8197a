package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import ringkv.client.KeyValue;

/**
 * Prints the keys of a scan as they arrive: raw and json print each key at once, so a long scan
 * streams; table collects the rows and prints them, aligned, at {@link #finish}.
 *
 * <ul>
 *   <li>raw: {@code KEY<TAB>VALUE} per line, or {@code KEY} with keys only; text as {@link
 *       ResultPrinter#text} prints it (hex under {@code --hex}).
 *   <li>json: one object per key per line (JSON Lines), the fields of {@code get -o json}'s key:
 *       {@code key}, {@code value} (not with keys only), {@code create_revision}, {@code
 *       mod_revision}, {@code version}; bytes base64.
 *   <li>table: KEY, VALUE (not with keys only), CREATE_REVISION, MOD_REVISION, VERSION; cells as
 *       {@link ResultPrinter#cell} shows them. An empty scan prints nothing.
 * </ul>
 */
final class ScanPrinter {
  private final ResultPrinter printer;
  private final OutputFormat format;
  private final boolean keysOnly;
  private final List<List<String>> rows = new ArrayList<>();

  ScanPrinter(ResultPrinter printer, OutputFormat format, boolean keysOnly) {
    this.printer = printer;
    this.format = format;
    this.keysOnly = keysOnly;
  }

  void print(KeyValue kv) {
    switch (format) {
      case RAW ->
          printer.line(
              keysOnly
                  ? printer.text(kv.key())
                  : printer.text(kv.key()) + "\t" + printer.text(kv.value()));
      case JSON -> printer.line(json(kv).toString());
      case TABLE -> rows.add(row(kv));
    }
  }

  /** Prints the table, if the format is table and some key was found. */
  void finish() {
    if (rows.isEmpty()) {
      return;
    }
    List<String> header =
        keysOnly
            ? List.of("KEY", "CREATE_REVISION", "MOD_REVISION", "VERSION")
            : List.of("KEY", "VALUE", "CREATE_REVISION", "MOD_REVISION", "VERSION");
    TextTable table = new TextTable(header);
    rows.forEach(table::row);
    table.lines().forEach(printer::line);
    rows.clear();
  }

  private JsonObject json(KeyValue kv) {
    if (!keysOnly) {
      JsonObject json = new JsonObject();
      ResultPrinter.addKeyValue(json, kv);
      return json;
    }
    return new JsonObject()
        .field("key", kv.key())
        .field("create_revision", kv.createRevision())
        .field("mod_revision", kv.modRevision())
        .field("version", kv.version());
  }

  private List<String> row(KeyValue kv) {
    List<String> cells = new ArrayList<>(5);
    cells.add(printer.cell(kv.key()));
    if (!keysOnly) {
      cells.add(printer.cell(kv.value()));
    }
    cells.add(Long.toString(kv.createRevision()));
    cells.add(Long.toString(kv.modRevision()));
    cells.add(Long.toString(kv.version()));
    return List.copyOf(cells);
  }
}
