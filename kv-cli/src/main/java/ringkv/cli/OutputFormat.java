package ringkv.cli;

import java.util.Locale;

/** How {@code kvctl get} prints what it found. */
public enum OutputFormat {
  /** The value's bytes exactly, nothing added; under {@code --hex}, lowercase hex and a newline. */
  RAW,
  /** One JSON object on one line; key and value are base64 (RFC 4648, padded). */
  JSON,
  /** A header line and a row, columns aligned; for people, not scripts. */
  TABLE;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the lowercase names, in any case; a bad one gets a one-line message. */
  static final class Converter extends LowercaseEnumConverter<OutputFormat> {
    Converter() {
      super(OutputFormat.class);
    }
  }
}
