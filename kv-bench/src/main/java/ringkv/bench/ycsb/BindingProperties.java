package ringkv.bench.ycsb;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import ringkv.bench.Durations;

/**
 * Reads a binding's YCSB properties ({@code -p name=value} or a {@code -P} file). Every parser
 * throws an {@link IllegalArgumentException} that names the property and the bad value.
 */
public final class BindingProperties {
  private BindingProperties() {}

  /** A comma-separated list, blanks dropped; {@code fallback} when the property is unset. */
  public static List<String> list(Properties properties, String name, String fallback) {
    List<String> items = Arrays.stream(properties.getProperty(name, fallback).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new IllegalArgumentException(name + " must list at least one endpoint, got '"
          + properties.getProperty(name) + "'");
    }
    return items;
  }

  /** A positive duration such as {@code 500ms}, {@code 10s}, {@code 1m}. */
  public static Duration duration(Properties properties, String name, String fallback) {
    String text = properties.getProperty(name, fallback);
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got '" + text + "'");
    }
    return d;
  }

  /** True for {@code serializable}, false for {@code linearizable} (the default). */
  public static boolean serializableReads(Properties properties, String name) {
    String text = properties.getProperty(name, "linearizable");
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "linearizable" -> false;
      case "serializable" -> true;
      default -> throw new IllegalArgumentException(name + " must be linearizable or serializable, got '" + text + "'");
    };
  }
}
