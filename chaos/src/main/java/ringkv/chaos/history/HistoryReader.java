package ringkv.chaos.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a history of JSON lines. Blank lines are skipped; unknown fields are kept as {@link
 * Event#extra()} and otherwise ignored. Any other deviation from the format is a {@link
 * HistoryFormatException} naming the line.
 */
public final class HistoryReader {
  private HistoryReader() {}

  /** The events of {@code file}, in order. */
  public static List<Event> read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  /**
   * The events of {@code in}, in order; {@code source} names it in errors.
   *
   * @throws HistoryFormatException for a malformed line, a decreasing index or time
   */
  public static List<Event> read(Reader in, String source) throws IOException {
    return readLines(in, source).events;
  }

  /** The operations of {@code file} ({@link Operations#pair}), errors naming lines. */
  public static List<Operation> readOperations(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readOperations(in, file.toString());
    }
  }

  /** The operations of {@code in} ({@link Operations#pair}), errors naming lines. */
  public static List<Operation> readOperations(Reader in, String source) throws IOException {
    Lines lines = readLines(in, source);
    try {
      return Operations.pairOrThrow(lines.events);
    } catch (Operations.PairingException e) {
      throw new HistoryFormatException(source, lines.lineNumbers.get(e.position), e.getMessage());
    }
  }

  private static Lines readLines(Reader in, String source) throws IOException {
    var lines = new Lines();
    var buffered = in instanceof BufferedReader b ? b : new BufferedReader(in);
    long lineNumber = 0;
    @Nullable Event previous = null;
    String line;
    while ((line = buffered.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      Event event;
      try {
        event = EventJson.decode(line);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new HistoryFormatException(source, lineNumber, e.getMessage());
      }
      if (previous != null && event.index() <= previous.index()) {
        throw new HistoryFormatException(
            source,
            lineNumber,
            "index " + event.index() + " does not increase (previous " + previous.index() + ")");
      }
      if (previous != null && event.timeNanos() < previous.timeNanos()) {
        throw new HistoryFormatException(
            source,
            lineNumber,
            "time "
                + event.timeNanos()
                + " goes backwards (previous "
                + previous.timeNanos()
                + ")");
      }
      lines.events.add(event);
      lines.lineNumbers.add(lineNumber);
      previous = event;
    }
    return lines;
  }

  private static final class Lines {
    final List<Event> events = new ArrayList<>();
    final List<Long> lineNumbers = new ArrayList<>();
  }
}
