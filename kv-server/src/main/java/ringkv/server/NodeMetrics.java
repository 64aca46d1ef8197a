package ringkv.server;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's Micrometer registry (Prometheus format, scraped at {@code /metrics} on the admin
 * port) and its request counters. Every metric is listed in docs/metrics.md.
 */
public final class NodeMetrics implements AutoCloseable {
  /** Gauge names of {@link #dataMemory}; the dashboard reads them back. */
  public static final String DATA_MEMORY_BYTES = "ringkv_node_data_memory_bytes";
  public static final String DATA_MEMORY_LIMIT_BYTES = "ringkv_node_data_memory_limit_bytes";
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final DistributionSummary entryCommands;
  // counters by operation, so that a request costs a map lookup instead of building a meter id
  // and looking it up in the registry (which sorts and hashes its tags) on every call
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> forwarded = new ConcurrentHashMap<>();

  public NodeMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Prometheus conventions (promtool's lint): snake_case labels, gRPC's status as "code", and
    // no meters whose names break the unit rules (CPU time in ns, a gauge named *_count)
    registry.config()
        .meterFilter(MeterFilter.renameTag("grpc.server", "statusCode", "code"))
        .meterFilter(MeterFilter.renameTag("grpc.server", "methodType", "method_type"))
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    entryCommands = DistributionSummary.builder("ringkv_server_entry_commands")
        .description("client commands packed into each shard log entry this node proposed (group commit)")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
        .register(registry);
  }

  /** What the node's shard replicas hold in its heap, and where writes that add data stop. */
  public void dataMemory(DataMemoryGuard guard) {
    Gauge.builder(DATA_MEMORY_BYTES, guard, DataMemoryGuard::heldBytes)
        .description("data this node's shard replicas hold in its heap: keys, values and their index").register(registry);
    Gauge.builder(DATA_MEMORY_LIMIT_BYTES, guard, DataMemoryGuard::limitBytes)
        .description("max-data-memory: from this much data held, writes that add data are refused").register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Counts every gRPC call by service, method and status code, and times it into a histogram
   * ({@code grpc_server_processing_duration_seconds}) fine enough for p99 dashboards.
   */
  public ServerInterceptor grpcInterceptor() {
    return new MetricCollectingServerInterceptor(registry, counter -> counter,
        timer -> timer.publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(30)));
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A data request arrived at this node's API. */
  public void request(String op) {
    requests.computeIfAbsent(op, o -> Counter.builder("ringkv_server_requests").tag("op", o)
        .description("data requests received by this node's API").register(registry)).increment();
  }

  /** A data request arrived here although this node does not lead the key's shard. */
  public void forwarded(String op) {
    forwarded.computeIfAbsent(op, o -> Counter.builder("ringkv_server_forwarded_requests").tag("op", o)
        .description("requests this node had to forward to another node's shard leader").register(registry)).increment();
  }

  /** A shard log entry left this node carrying {@code commands} client commands (group commit). */
  public void groupCommitEntry(int commands) {
    entryCommands.record(commands);
  }

  public double requestCount() {
    return registry.find("ringkv_server_requests").counters().stream().mapToDouble(Counter::count).sum();
  }

  public double forwardedCount() {
    return registry.find("ringkv_server_forwarded_requests").counters().stream().mapToDouble(Counter::count).sum();
  }
}
