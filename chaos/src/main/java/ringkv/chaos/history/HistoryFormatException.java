package ringkv.chaos.history;

/** A history that does not follow the format; the message names the line (1-based). */
public final class HistoryFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long lineNumber;

  public HistoryFormatException(String source, long lineNumber, String message) {
    super(source + ":" + lineNumber + ": " + message);
    this.lineNumber = lineNumber;
  }

  /** The 1-based line of the offending event. */
  public long lineNumber() {
    return lineNumber;
  }
}
