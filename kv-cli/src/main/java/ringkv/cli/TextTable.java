package ringkv.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for people: a header row and data rows, each column as wide as its widest cell plus two
 * spaces. No line ends in padding: the last column, and empty cells at the end of a row, are not
 * padded.
 */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  /**
   * @throws IllegalArgumentException if the row has another number of cells than the header
   */
  TextTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, header " + header.size());
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  /** The header line, then one line per row, without line ends. */
  List<String> lines() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>(rows.size() + 1);
    lines.add(line(header, widths));
    rows.forEach(row -> lines.add(line(row, widths)));
    return lines;
  }

  /** The cells, each padded to its column's width while a non-empty cell follows. */
  private static String line(List<String> cells, int[] widths) {
    int last = cells.size() - 1;
    while (last > 0 && cells.get(last).isEmpty()) {
      last--;
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < last) {
        line.append(" ".repeat(widths[i] + 2 - cell.length()));
      }
    }
    return line.toString();
  }
}
