package ringkv.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The result of a run: the measured phase only (warm-up excluded). Latencies are of successful
 * operations, in milliseconds; in an open loop they count from the intended send time.
 */
record BenchReport(
    Map<String, Object> settings,
    double seconds,
    long ops,
    double opsPerSecond,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    long casConflicts,
    Map<String, Long> errors,
    long warmupOps) {

  BenchReport {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  /** Builds a report from a histogram of latencies recorded in microseconds. */
  static BenchReport of(Map<String, Object> settings, double seconds, Histogram micros, long casConflicts,
      Map<String, Long> errors, long warmupOps) {
    long ops = micros.getTotalCount();
    return new BenchReport(settings, seconds, ops, seconds > 0 ? ops / seconds : 0,
        ms(micros, 50), ms(micros, 95), ms(micros, 99), ms(micros, 99.9),
        ops == 0 ? 0 : micros.getMaxValue() / 1000.0, casConflicts, errors, warmupOps);
  }

  private static double ms(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The human-readable report printed at the end of a run. */
  String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("settings:");
    settings.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "measured: %,d ops in %.1f s = %,.0f ops/s (warm-up: %,d ops, excluded)%n",
        ops, seconds, opsPerSecond, warmupOps));
    sb.append(String.format(Locale.ROOT, "latency ms: p50=%.3f p95=%.3f p99=%.3f p99.9=%.3f max=%.3f%n",
        p50Ms, p95Ms, p99Ms, p999Ms, maxMs));
    if (casConflicts > 0) {
      sb.append(String.format(Locale.ROOT, "cas conflicts (succeeded=false, not errors): %,d%n", casConflicts));
    }
    if (errors.isEmpty()) {
      sb.append("errors: 0\n");
    } else {
      sb.append(String.format(Locale.ROOT, "errors: %,d", errorCount()));
      errors.forEach((code, n) -> sb.append(String.format(Locale.ROOT, " %s=%,d", code, n)));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The same figures as one JSON object. */
  String toJson() {
    StringBuilder sb = new StringBuilder("{\n  \"settings\": {");
    String sep = "";
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      sb.append(sep).append("\n    ").append(quote(e.getKey())).append(": ").append(jsonValue(e.getValue()));
      sep = ",";
    }
    sb.append("\n  },\n");
    sb.append("  \"seconds\": ").append(num(seconds)).append(",\n");
    sb.append("  \"ops\": ").append(ops).append(",\n");
    sb.append("  \"ops_per_second\": ").append(num(opsPerSecond)).append(",\n");
    sb.append("  \"latency_ms\": {\"p50\": ").append(num(p50Ms)).append(", \"p95\": ").append(num(p95Ms))
        .append(", \"p99\": ").append(num(p99Ms)).append(", \"p99_9\": ").append(num(p999Ms))
        .append(", \"max\": ").append(num(maxMs)).append("},\n");
    sb.append("  \"cas_conflicts\": ").append(casConflicts).append(",\n");
    sb.append("  \"error_count\": ").append(errorCount()).append(",\n");
    sb.append("  \"errors\": {");
    sep = "";
    for (Map.Entry<String, Long> e : errors.entrySet()) {
      sb.append(sep).append(quote(e.getKey())).append(": ").append(e.getValue());
      sep = ", ";
    }
    sb.append("},\n");
    sb.append("  \"warmup_ops\": ").append(warmupOps).append("\n}\n");
    return sb.toString();
  }

  private static String jsonValue(Object v) {
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      return v.toString();
    }
    if (v instanceof Double d) {
      return num(d);
    }
    return quote(String.valueOf(v));
  }

  private static String num(double d) {
    if (!Double.isFinite(d)) {
      return "null";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
