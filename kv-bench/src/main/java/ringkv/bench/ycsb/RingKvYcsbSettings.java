package ringkv.bench.ycsb;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import ringkv.bench.Durations;
import ringkv.client.KvClientConfig;
import ringkv.client.ReadOptions;

/**
 * Settings of the RingKV YCSB binding, from YCSB properties.
 *
 * <table>
 *   <caption>properties</caption>
 *   <tr><td>{@code ringkv.endpoints}</td><td>API addresses, comma-separated
 *       (default {@value #DEFAULT_ENDPOINTS})</td></tr>
 *   <tr><td>{@code ringkv.deadline}</td><td>time one call may take, retries included
 *       (default {@value #DEFAULT_DEADLINE})</td></tr>
 *   <tr><td>{@code ringkv.consistency}</td><td>reads (also the read of an update):
 *       {@code linearizable} (default) or {@code serializable}</td></tr>
 * </table>
 *
 * @param endpoints {@code host:port} of some nodes
 * @param deadline the client's call timeout
 * @param serializableReads read from the answering replica instead of linearizably
 */
public record RingKvYcsbSettings(List<String> endpoints, Duration deadline, boolean serializableReads) {
  public static final String ENDPOINTS = "ringkv.endpoints";
  public static final String DEADLINE = "ringkv.deadline";
  public static final String CONSISTENCY = "ringkv.consistency";
  public static final String DEFAULT_ENDPOINTS = "127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003";
  public static final String DEFAULT_DEADLINE = "10s";

  public RingKvYcsbSettings {
    endpoints = List.copyOf(endpoints);
    // the client's own checks (host:port, positive timeout), raised now rather than at first use
    clientConfig(endpoints, deadline);
  }

  /** Parses the binding's properties; an {@link IllegalArgumentException} names a bad one. */
  public static RingKvYcsbSettings from(Properties properties) {
    List<String> endpoints = BindingProperties.list(properties, ENDPOINTS, DEFAULT_ENDPOINTS);
    Duration deadline = BindingProperties.duration(properties, DEADLINE, DEFAULT_DEADLINE);
    boolean serializable = BindingProperties.serializableReads(properties, CONSISTENCY);
    try {
      return new RingKvYcsbSettings(endpoints, deadline, serializable);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENDPOINTS + ": " + e.getMessage(), e);
    }
  }

  public KvClientConfig clientConfig() {
    return clientConfig(endpoints, deadline);
  }

  public ReadOptions readOptions() {
    return serializableReads ? ReadOptions.SERIALIZABLE : ReadOptions.LINEARIZABLE;
  }

  private static KvClientConfig clientConfig(List<String> endpoints, Duration deadline) {
    return KvClientConfig.builder().endpoints(endpoints).callTimeout(deadline).build();
  }

  @Override
  public String toString() {
    return ENDPOINTS + "=" + String.join(",", endpoints) + " " + DEADLINE + "=" + Durations.format(deadline) + " "
        + CONSISTENCY + "=" + (serializableReads ? "serializable" : "linearizable");
  }
}
