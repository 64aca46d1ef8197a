package ringkv.server.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.Counter;
import org.apache.ratis.thirdparty.com.codahale.metrics.Metered;
import org.apache.ratis.thirdparty.com.codahale.metrics.Metric;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;

/**
 * Bridges Ratis' own metrics (kept in Dropwizard registries by ratis-metrics-default, one per
 * server/group member) into the node's Micrometer registry, so one {@code /metrics} scrape holds
 * both. Names become {@code ratis_<application>_<component>_<metric>} in snake_case with the
 * Ratis member (e.g. {@code n1@group-4D2A...}) as the {@code member} label. Counters and the call
 * counts of timers and meters become {@code _total} counters; timers also give their mean and
 * p99 in seconds; gauges with numeric values become gauges.
 *
 * <p>Ratis creates registries as groups start, so {@link #bridgeNew} runs on the node's metrics
 * tick and only adds what is new.
 */
public final class RatisMetricsBridge {
  private final MeterRegistry registry;
  private final Supplier<Set<String>> nodeIds;
  private final Set<String> bridged = ConcurrentHashMap.newKeySet();

  /** @param nodeIds the cluster's node ids: a metric name that starts with one names a peer */
  public RatisMetricsBridge(MeterRegistry registry, Supplier<Set<String>> nodeIds) {
    this.registry = registry;
    this.nodeIds = nodeIds;
  }

  public void bridgeNew() {
    Set<String> peers = nodeIds.get();
    for (RatisMetricRegistry ratis : MetricRegistries.global().getMetricRegistries()) {
      if (!(ratis instanceof RatisMetricRegistryImpl impl)) {
        continue;
      }
      MetricRegistryInfo info = impl.getMetricRegistryInfo();
      // client-side registries are per RaftClient instance: unbounded label values, no value here
      if (info.getMetricsComponentName().contains("client") || info.getApplicationName().contains("client")) {
        continue;
      }
      String prefix = "ratis_" + snake(info.getMetricsComponentName().replaceFirst("^ratis[._]", "")) + "_";
      for (Map.Entry<String, Metric> entry : impl.getDropWizardMetricRegistry().getMetrics().entrySet()) {
        String key = entry.getKey();
        if (!bridged.add(info.getPrefix() + "/" + info.getMetricsComponentName() + "/" + key)) {
          continue;
        }
        // Dropwizard names are "<application>.<component>.<member>.<metric>"
        int at = key.indexOf(info.getPrefix());
        String metric = at < 0 ? key : key.substring(at + info.getPrefix().length()).replaceFirst("^[._]", "");
        Tags tags = Tags.of("member", info.getPrefix());
        int underscore = metric.indexOf('_');
        if (underscore > 0 && peers.contains(metric.substring(0, underscore))) {
          tags = tags.and("peer", metric.substring(0, underscore));
          metric = metric.substring(underscore + 1);
        }
        bridge(prefix + snake(metric), tags, entry.getValue(), "Ratis metric " + info.getMetricsComponentName() + "." + metric);
      }
    }
  }

  private void bridge(String name, Tags tags, Metric metric, String help) {
    String base = name.replaceAll("_(count|total|sum)$", "");
    if (metric instanceof Timer timer) {
      FunctionCounter.builder(base + "_calls", timer, Timer::getCount).tags(tags).description(help + " (calls)").register(registry);
      Gauge.builder(base + "_mean_seconds", timer, t -> t.getSnapshot().getMean() / 1e9).tags(tags)
          .description(help + " (mean, seconds)").register(registry);
      Gauge.builder(base + "_p99_seconds", timer, t -> t.getSnapshot().get99thPercentile() / 1e9).tags(tags)
          .description(help + " (p99, seconds)").register(registry);
    } else if (metric instanceof Metered meter) {
      FunctionCounter.builder(base + "_events", meter, Metered::getCount).tags(tags).description(help).register(registry);
    } else if (metric instanceof Counter counter) {
      Gauge.builder(base + "_value", counter, Counter::getCount).tags(tags).description(help).register(registry);
    } else if (metric instanceof org.apache.ratis.thirdparty.com.codahale.metrics.Gauge<?> gauge) {
      Object sample = gauge.getValue();
      if (sample instanceof Number || sample instanceof Boolean) {
        Gauge.builder(base.equals(name) ? name : base + "_value", gauge, RatisMetricsBridge::numeric).tags(tags)
            .description(help).register(registry);
      }
    }
  }

  private static double numeric(org.apache.ratis.thirdparty.com.codahale.metrics.Gauge<?> gauge) {
    Object value = gauge.getValue();
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    return value instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
  }

  /** {@code appendEntryLatency} / {@code log_worker.flushTime} -> {@code append_entry_latency}, {@code log_worker_flush_time}. */
  static String snake(String name) {
    String s = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    s = s.replaceAll("[^a-z0-9]+", "_").replaceAll("_+", "_");
    return s.replaceAll("^_|_$", "");
  }
}
