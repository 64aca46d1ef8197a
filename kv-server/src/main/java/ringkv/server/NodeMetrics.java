package ringkv.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The node's own request counters (more metrics arrive with the observability work). */
public final class NodeMetrics {
  private final MeterRegistry registry;

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A data request arrived at this node's API. */
  public void request(String op) {
    Counter.builder("ringkv_server_requests").tag("op", op)
        .description("data requests received by this node's API").register(registry).increment();
  }

  /** A data request arrived here although this node does not lead the key's shard. */
  public void forwarded(String op) {
    Counter.builder("ringkv_server_forwarded_requests").tag("op", op)
        .description("requests this node had to forward to another node's shard leader").register(registry).increment();
  }

  public double requestCount() {
    return registry.find("ringkv_server_requests").counters().stream().mapToDouble(Counter::count).sum();
  }

  public double forwardedCount() {
    return registry.find("ringkv_server_forwarded_requests").counters().stream().mapToDouble(Counter::count).sum();
  }
}
