package ringkv.bench.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import ringkv.bench.Durations;
import ringkv.bench.ycsb.BindingProperties;

/**
 * Settings of the etcd YCSB binding, from YCSB properties; the same knobs as the RingKV binding's.
 *
 * <table>
 *   <caption>properties</caption>
 *   <tr><td>{@code etcd.endpoints}</td><td>client URLs, comma-separated; {@code host:port} means
 *       {@code http://host:port} (default {@value #DEFAULT_ENDPOINTS})</td></tr>
 *   <tr><td>{@code etcd.deadline}</td><td>time one call may take (default {@value #DEFAULT_DEADLINE})</td></tr>
 *   <tr><td>{@code etcd.consistency}</td><td>reads (also the read of an update): {@code linearizable}
 *       (default, etcd's {@code serializable=false}) or {@code serializable}</td></tr>
 * </table>
 *
 * @param endpoints {@code http://host:port} URLs of some members
 * @param deadline time one call may take
 * @param serializableReads let the answering member serve reads from its local state
 */
public record EtcdYcsbSettings(List<String> endpoints, Duration deadline, boolean serializableReads) {
  public static final String ENDPOINTS = "etcd.endpoints";
  public static final String DEADLINE = "etcd.deadline";
  public static final String CONSISTENCY = "etcd.consistency";
  public static final String DEFAULT_ENDPOINTS = "http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379";
  public static final String DEFAULT_DEADLINE = "10s";

  public EtcdYcsbSettings {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException(ENDPOINTS + " must list at least one URL");
    }
    for (String endpoint : endpoints) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENDPOINTS + ": '" + endpoint + "' is not a URL");
      }
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
        throw new IllegalArgumentException(ENDPOINTS + ": '" + endpoint + "' must be http://host:port");
      }
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException(DEADLINE + " must be positive, got " + deadline);
    }
  }

  /** Parses the binding's properties; an {@link IllegalArgumentException} names a bad one. */
  public static EtcdYcsbSettings from(Properties properties) {
    List<String> urls = new ArrayList<>();
    for (String endpoint : BindingProperties.list(properties, ENDPOINTS, DEFAULT_ENDPOINTS)) {
      urls.add(endpoint.contains("://") ? endpoint : "http://" + endpoint);
    }
    return new EtcdYcsbSettings(urls, BindingProperties.duration(properties, DEADLINE, DEFAULT_DEADLINE),
        BindingProperties.serializableReads(properties, CONSISTENCY));
  }

  @Override
  public String toString() {
    return ENDPOINTS + "=" + String.join(",", endpoints) + " " + DEADLINE + "=" + Durations.format(deadline) + " "
        + CONSISTENCY + "=" + (serializableReads ? "serializable" : "linearizable");
  }
}
