package ringkv.cli;

import java.util.Locale;

/**
 * How {@code kvctl put}, {@code kvctl del} and the cluster changes ({@code kvctl leader transfer},
 * {@code kvctl shard move-replica}) print their outcome.
 */
public enum WriteFormat {
  /**
   * One status line ({@code OK revision=42 shard=0}), then the previous value if asked for; for a
   * cluster change, one line saying what changed.
   */
  TEXT,
  /** One JSON object on one line; keys and values are base64 (RFC 4648, padded). */
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the lowercase names, in any case; a bad one gets a one-line message. */
  static final class Converter extends LowercaseEnumConverter<WriteFormat> {
    Converter() {
      super(WriteFormat.class);
    }
  }
}
