package ringkv.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What {@code kvctl top} reads from one node's {@code /metrics} at one moment: the counters of its
 * data calls (gRPC service {@code ringkv.v1.KV}: calls by method and code, and their latency
 * histogram buckets) and of the requests it forwarded, each series keyed by its labels; and the
 * gauges of each Raft group it hosts, keyed by the {@code shard} label ({@code "0"}, {@code
 * "meta"}).
 *
 * @param nanos when the scrape started, on the {@link Pacer}'s clock
 */
record NodeScrape(
    long nanos,
    Map<Map<String, String>, Double> dataCalls,
    Map<Map<String, String>, Double> dataBuckets,
    Map<Map<String, String>, Double> forwarded,
    Map<String, Group> groups) {

  static final String DATA_SERVICE = "ringkv.v1.KV";
  static final String CALLS = "grpc_server_processing_duration_seconds_count";
  static final String BUCKETS = "grpc_server_processing_duration_seconds_bucket";
  static final String FORWARDED = "ringkv_server_forwarded_requests_total";
  private static final String GROUP_PREFIX = "ringkv_shard_";

  NodeScrape {
    dataCalls = Map.copyOf(dataCalls);
    dataBuckets = Map.copyOf(dataBuckets);
    forwarded = Map.copyOf(forwarded);
    groups = Map.copyOf(groups);
  }

  /**
   * One node's replica of one group; a value the node did not report is NaN.
   *
   * @param isLeader {@code ringkv_shard_is_leader}: 1 when this replica leads the group
   * @param dataBytes {@code ringkv_shard_data_bytes}
   */
  record Group(
      double isLeader,
      double term,
      double commitIndex,
      double appliedIndex,
      double applyLag,
      double keys,
      double dataBytes) {
    static final Group EMPTY =
        new Group(
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    boolean leads() {
      return isLeader == 1;
    }

    private Group with(String metric, double value) {
      return switch (metric) {
        case "is_leader" ->
            new Group(value, term, commitIndex, appliedIndex, applyLag, keys, dataBytes);
        case "term" ->
            new Group(isLeader, value, commitIndex, appliedIndex, applyLag, keys, dataBytes);
        case "commit_index" ->
            new Group(isLeader, term, value, appliedIndex, applyLag, keys, dataBytes);
        case "applied_index" ->
            new Group(isLeader, term, commitIndex, value, applyLag, keys, dataBytes);
        case "apply_lag_entries" ->
            new Group(isLeader, term, commitIndex, appliedIndex, value, keys, dataBytes);
        case "keys" ->
            new Group(isLeader, term, commitIndex, appliedIndex, applyLag, value, dataBytes);
        case "data_bytes" ->
            new Group(isLeader, term, commitIndex, appliedIndex, applyLag, keys, value);
        default -> this;
      };
    }
  }

  /**
   * Reads a scrape.
   *
   * @throws IllegalArgumentException when a sample top needs is malformed (the message names the
   *     line)
   */
  static NodeScrape parse(long nanos, String text) {
    List<MetricSample> samples =
        PrometheusTextParser.parse(
            text,
            name ->
                name.equals(CALLS)
                    || name.equals(BUCKETS)
                    || name.equals(FORWARDED)
                    || name.startsWith(GROUP_PREFIX));
    Map<Map<String, String>, Double> calls = new HashMap<>();
    Map<Map<String, String>, Double> buckets = new HashMap<>();
    Map<Map<String, String>, Double> forwarded = new HashMap<>();
    Map<String, Group> groups = new HashMap<>();
    for (MetricSample s : samples) {
      switch (s.name()) {
        case CALLS -> {
          if (s.label("service").equals(DATA_SERVICE)) {
            calls.put(s.labels(), s.value());
          }
        }
        case BUCKETS -> {
          if (s.label("service").equals(DATA_SERVICE)) {
            buckets.put(s.labels(), s.value());
          }
        }
        case FORWARDED -> forwarded.put(s.labels(), s.value());
        default -> {
          String shard = s.label("shard");
          if (!shard.isEmpty()) {
            String metric = s.name().substring(GROUP_PREFIX.length());
            groups.put(shard, groups.getOrDefault(shard, Group.EMPTY).with(metric, s.value()));
          }
        }
      }
    }
    return new NodeScrape(nanos, calls, buckets, forwarded, groups);
  }

  /** Data calls completed since {@code earlier}, any code. */
  double dataCallsSince(NodeScrape earlier) {
    return increase(earlier.dataCalls, dataCalls, labels -> true);
  }

  /** Data calls completed since {@code earlier} with a code other than OK. */
  double dataErrorsSince(NodeScrape earlier) {
    return increase(earlier.dataCalls, dataCalls, labels -> !"OK".equals(labels.get("code")));
  }

  double forwardedSince(NodeScrape earlier) {
    return increase(earlier.forwarded, forwarded, labels -> true);
  }

  /**
   * The latency histogram of the data calls completed since {@code earlier}, all methods and codes
   * summed: upper bound ({@code le}) to cumulative count, as PromQL's {@code sum by (le)
   * (increase(...))}.
   */
  NavigableMap<Double, Double> dataLatencySince(NodeScrape earlier) {
    NavigableMap<Double, Double> byBound = new TreeMap<>();
    for (Map.Entry<Map<String, String>, Double> series : dataBuckets.entrySet()) {
      double bound;
      try {
        bound = PrometheusTextParser.parseValue(series.getKey().getOrDefault("le", ""));
      } catch (IllegalArgumentException e) {
        continue;
      }
      double increase = increase(earlier.dataBuckets.get(series.getKey()), series.getValue());
      if (!Double.isNaN(bound) && !Double.isNaN(increase)) {
        byBound.merge(bound, increase, Double::sum);
      }
    }
    return byBound;
  }

  /** The sum of the increases of the series {@code which} accepts. */
  private static double increase(
      Map<Map<String, String>, Double> before,
      Map<Map<String, String>, Double> after,
      Predicate<Map<String, String>> which) {
    double sum = 0;
    for (Map.Entry<Map<String, String>, Double> series : after.entrySet()) {
      if (which.test(series.getKey())) {
        double increase = increase(before.get(series.getKey()), series.getValue());
        if (!Double.isNaN(increase)) {
          sum += increase;
        }
      }
    }
    return sum;
  }

  /**
   * How much a counter grew: {@code after - before}; all of {@code after} when the counter is new
   * (series appear at their first event) or went down (the node restarted, as PromQL's reset rule).
   */
  private static double increase(@Nullable Double before, double after) {
    if (before == null || Double.isNaN(before) || after < before) {
      return after;
    }
    return after - before;
  }
}
