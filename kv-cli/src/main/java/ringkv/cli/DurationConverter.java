package ringkv.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations the way etcdctl and Go's {@code time.ParseDuration} write them: a sequence of
 * decimal numbers, each with a unit ({@code ns us µs ms s m h}), such as {@code 500ms}, {@code
 * 10s}, {@code 1.5s}, {@code 2m} or {@code 1m30s}. An ISO-8601 form ({@code PT10S}) is accepted
 * too. The duration must be positive.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a one-line message, when {@code text} is not a positive
   *     duration
   */
  public static Duration parse(String text) {
    String s = text.trim();
    Duration d = s.startsWith("P") || s.startsWith("p") ? parseIso(text, s) : parseUnits(text, s);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is not positive");
    }
    return d;
  }

  /**
   * {@code duration} in the form {@link #parse} reads, in its largest unit that shows it exactly
   * ({@code 2s}, {@code 500ms}, {@code 2m}), or in seconds with decimals ({@code 1.5s}).
   */
  public static String format(Duration duration) {
    long nanos = GrpcClusterAdmin.saturatedNanos(duration);
    String[] units = {"h", "m", "s"};
    long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L};
    for (int i = 0; i < units.length; i++) {
      if (nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    if (nanos >= 1_000_000_000L) {
      return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return nanos % 1_000L == 0 ? nanos / 1_000L + "us" : nanos + "ns";
  }

  private static Duration parseIso(String text, String s) {
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw notADuration(text);
    }
  }

  private static Duration parseUnits(String text, String s) {
    if (s.isEmpty()) {
      throw notADuration(text);
    }
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int pos = 0;
    while (pos < s.length()) {
      m.region(pos, s.length());
      if (!m.lookingAt()) {
        throw notADuration(text);
      }
      nanos =
          nanos.add(
              new BigDecimal(m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      pos = m.end();
    }
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long");
    }
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration (use a number and unit, e.g. 500ms, 10s, 2m or 1m30s)");
  }
}
