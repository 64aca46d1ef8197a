package ringkv.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the sample lines of the Prometheus text exposition format (version 0.0.4, which a node's
 * {@code /metrics} serves): {@code name{label="value",...} value [timestamp]}. Comments ({@code #
 * HELP}, {@code # TYPE}) and blank lines are skipped, and so is every sample whose name the caller
 * does not want, without being checked. Label values may hold the escapes {@code \\}, {@code \"}
 * and {@code \n}; values may be {@code NaN}, {@code +Inf} or {@code -Inf}. The quoted names of the
 * newer UTF-8 form ({@code {"my.metric",label="v"} 1}) are read too; exemplars and timestamps are
 * dropped.
 */
final class PrometheusTextParser {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

  private final String line;
  private final int lineNumber;
  private int pos;

  private PrometheusTextParser(String line, int lineNumber) {
    this.line = line;
    this.lineNumber = lineNumber;
  }

  /**
   * The samples of {@code text} whose metric name {@code wanted} accepts, in text order.
   *
   * @throws IllegalArgumentException naming the line, when a wanted sample is malformed
   */
  static List<MetricSample> parse(String text, Predicate<String> wanted) {
    List<MetricSample> samples = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNumber++;
      MetricSample sample =
          new PrometheusTextParser(text.substring(start, end), lineNumber).sample(wanted);
      if (sample != null) {
        samples.add(sample);
      }
      start = end + 1;
    }
    return List.copyOf(samples);
  }

  /**
   * A sample value as the format writes it: a decimal or exponent number, {@code NaN}, {@code
   * +Inf}, {@code -Inf} or {@code Inf} (any case).
   *
   * @throws IllegalArgumentException when {@code text} is none of these
   */
  static double parseValue(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "+inf":
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!NUMBER.matcher(text).matches()) {
          throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        return Double.parseDouble(text);
    }
  }

  /** This line's sample, or null for a comment, a blank line or a name not wanted. */
  private @Nullable MetricSample sample(Predicate<String> wanted) {
    skipBlanks();
    if (pos == line.length() || line.charAt(pos) == '#') {
      return null;
    }
    @Nullable String name = line.charAt(pos) == '{' ? null : name();
    if (name != null && !wanted.test(name)) {
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    int end = pos;
    skipBlanks();
    if (peek() == '{') {
      name = labels(name, labels);
      if (!wanted.test(name)) {
        return null;
      }
      end = pos;
      skipBlanks();
    }
    if (pos == end && pos < line.length()) {
      throw error("expected a blank after the name or labels");
    }
    String valueText = token();
    if (valueText.isEmpty()) {
      throw error("missing value");
    }
    double value;
    try {
      value = parseValue(valueText);
    } catch (IllegalArgumentException e) {
      throw error("value " + e.getMessage());
    }
    skipBlanks();
    String timestamp = token();
    if (!timestamp.isEmpty() && !timestamp.equals("#")) {
      if (!TIMESTAMP.matcher(timestamp).matches()) {
        throw error("timestamp '" + timestamp + "' is not an integer");
      }
      skipBlanks();
      String rest = line.substring(pos).stripTrailing();
      if (!rest.isEmpty() && !rest.startsWith("#")) {
        throw error("unexpected '" + rest + "' after the timestamp");
      }
    }
    return new MetricSample(name, labels, value);
  }

  /** A bare metric or label name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  private String name() {
    int start = pos;
    while (pos < line.length() && isNameChar(line.charAt(pos), pos == start)) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a name");
    }
    return line.substring(start, pos);
  }

  /**
   * Reads {@code {...}} into {@code labels}; returns the metric name, which is {@code name} or, in
   * the UTF-8 form, the quoted string that comes first in the braces.
   */
  private String labels(@Nullable String name, Map<String, String> labels) {
    pos++; // '{'
    @Nullable String metric = name;
    boolean first = true;
    while (true) {
      skipBlanks();
      if (pos == line.length()) {
        throw error("unclosed '{'");
      }
      if (line.charAt(pos) == '}') {
        pos++;
        break;
      }
      boolean isQuoted = line.charAt(pos) == '"';
      String label = isQuoted ? quoted() : name();
      skipBlanks();
      if (first && metric == null && isQuoted && peek() != '=') {
        metric = label;
      } else {
        expect('=');
        skipBlanks();
        if (peek() != '"') {
          throw error("label " + label + ": expected '\"'");
        }
        if (labels.put(label, quoted()) != null) {
          throw error("label " + label + " appears twice");
        }
      }
      first = false;
      skipBlanks();
      if (peek() == ',') {
        pos++;
      } else if (peek() != '}') {
        throw error("expected ',' or '}' in the labels");
      }
    }
    if (metric == null) {
      throw error("no metric name");
    }
    return metric;
  }

  /** A double-quoted string with the escapes {@code \\}, {@code \"} and {@code \n}. */
  private String quoted() {
    pos++; // '"'
    StringBuilder value = new StringBuilder();
    while (pos < line.length()) {
      char c = line.charAt(pos++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos == line.length()) {
        break;
      }
      char escaped = line.charAt(pos++);
      switch (escaped) {
        case '\\' -> value.append('\\');
        case '"' -> value.append('"');
        case 'n' -> value.append('\n');
        default -> throw error("invalid escape '\\" + escaped + "' in a label value");
      }
    }
    throw error("unclosed '\"'");
  }

  private String token() {
    int start = pos;
    while (pos < line.length() && !isBlank(line.charAt(pos))) {
      pos++;
    }
    return line.substring(start, pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < line.length() ? line.charAt(pos) : '\0';
  }

  private void skipBlanks() {
    while (pos < line.length() && isBlank(line.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("line " + lineNumber + ": " + message);
  }
}
