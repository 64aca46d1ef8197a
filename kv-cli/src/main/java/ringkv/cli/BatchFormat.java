package ringkv.cli;

import java.util.Locale;

/** How {@code kvctl batch put} and {@code kvctl batch del} print their per-item outcome. */
public enum BatchFormat {
  /** A header line and one row per item, columns aligned; for people, not scripts. */
  TABLE,
  /** One JSON object on one line, with an {@code items} array in request order; for scripts. */
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the lowercase names, in any case; a bad one gets a one-line message. */
  static final class Converter extends LowercaseEnumConverter<BatchFormat> {
    Converter() {
      super(BatchFormat.class);
    }
  }
}
