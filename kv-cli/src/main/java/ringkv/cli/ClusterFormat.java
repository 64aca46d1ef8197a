package ringkv.cli;

import java.util.Locale;

/** How {@code kvctl cluster status}, {@code kvctl cluster map} and {@code kvctl top} print. */
public enum ClusterFormat {
  /** A header line and aligned tables; for people, not scripts. */
  TABLE,
  /** One JSON object on one line, keys in a fixed order; for scripts. */
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the lowercase names, in any case; a bad one gets a one-line message. */
  static final class Converter extends LowercaseEnumConverter<ClusterFormat> {
    Converter() {
      super(ClusterFormat.class);
    }
  }
}
