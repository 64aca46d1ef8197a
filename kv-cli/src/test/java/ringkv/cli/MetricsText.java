package ringkv.cli;

import java.util.Locale;

/**
 * Builds a node's {@code /metrics} text in the shape the server writes it (Micrometer's Prometheus
 * registry): gRPC call histograms, forwarded requests, per-group gauges.
 */
final class MetricsText {
  /** The latency bucket bounds the fakes use, in seconds; {@code +Inf} follows. */
  static final double[] BOUNDS = {0.001, 0.002, 0.004, 0.008};

  private final StringBuilder text = new StringBuilder();

  /**
   * A {@code ringkv.v1.KV} method's calls with one code: the cumulative count up to each of {@link
   * #BOUNDS} and then {@code +Inf}, which is also the count.
   */
  MetricsText calls(String method, String code, long... cumulative) {
    return calls("ringkv.v1.KV", method, code, cumulative);
  }

  MetricsText calls(String service, String method, String code, long... cumulative) {
    if (cumulative.length != BOUNDS.length + 1) {
      throw new IllegalArgumentException("need " + (BOUNDS.length + 1) + " counts");
    }
    String labels =
        String.format(
            "code=\"%s\",method=\"%s\",method_type=\"UNARY\",service=\"%s\"",
            code, method, service);
    for (int i = 0; i < cumulative.length; i++) {
      String le = i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf";
      line(
          "grpc_server_processing_duration_seconds_bucket{"
              + labels
              + ",le=\""
              + le
              + "\"} "
              + cumulative[i]);
    }
    line(
        "grpc_server_processing_duration_seconds_count{"
            + labels
            + "} "
            + cumulative[BOUNDS.length]);
    line("grpc_server_processing_duration_seconds_sum{" + labels + "} 0.5");
    return this;
  }

  MetricsText forwarded(String op, long count) {
    return line("ringkv_server_forwarded_requests_total{op=\"" + op + "\"} " + count + ".0");
  }

  /** A group's gauges on this node; {@code shard} is a number or {@code meta}. */
  MetricsText group(
      String shard, boolean leader, long term, long applied, long lag, long keys, long bytes) {
    String l = "{shard=\"" + shard + "\"}";
    line("# TYPE ringkv_shard_is_leader gauge");
    line("ringkv_shard_is_leader" + l + " " + (leader ? "1.0" : "0.0"));
    line("ringkv_shard_term" + l + " " + term + ".0");
    line("ringkv_shard_commit_index" + l + " " + (applied + lag) + ".0");
    line("ringkv_shard_applied_index" + l + " " + applied + ".0");
    line("ringkv_shard_apply_lag_entries" + l + " " + lag + ".0");
    if (!shard.equals("meta")) {
      line("ringkv_shard_keys" + l + " " + keys + ".0");
      line("ringkv_shard_data_bytes" + l + " " + bytes + ".0");
    }
    return this;
  }

  MetricsText line(String line) {
    text.append(line).append('\n');
    return this;
  }

  @Override
  public String toString() {
    return "# HELP jvm_threads_live_threads live threads\njvm_threads_live_threads "
        + String.format(Locale.ROOT, "%d", 42)
        + "\n"
        + text;
  }
}
