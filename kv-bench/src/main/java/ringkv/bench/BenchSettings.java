package ringkv.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The validated settings of one load-generator run. The compact constructor rejects bad values
 * with an {@link IllegalArgumentException} that names the option.
 *
 * @param ops number of measured operations, or 0 to run for {@code duration}
 * @param ratePerSecond open-loop target rate over all threads, or 0 for a closed loop
 */
record BenchSettings(
    List<String> endpoints,
    Workload workload,
    double readRatio,
    long keys,
    int keySize,
    int valueSize,
    KeyDistribution distribution,
    int threads,
    int inFlight,
    Duration duration,
    long ops,
    Duration warmup,
    double ratePerSecond,
    boolean preload,
    boolean serializableReads,
    int scanLength,
    Duration callTimeout,
    long seed,
    @Nullable Path json) {

  static final String KEY_PREFIX = "key";

  BenchSettings {
    endpoints = List.copyOf(endpoints);
    require(!endpoints.isEmpty(), "--endpoints must name at least one host:port");
    for (String e : endpoints) {
      require(e.matches("[^:\\s]+:\\d{1,5}"), "--endpoints entry '" + e + "' is not host:port");
    }
    require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be in [0, 1], got " + readRatio);
    require(keys >= 1, "--keys must be >= 1, got " + keys);
    int digits = Long.toString(keys - 1).length();
    require(keySize >= KEY_PREFIX.length() + digits && keySize <= 8192,
        "--key-size must be in [" + (KEY_PREFIX.length() + digits) + ", 8192] for " + keys + " keys, got " + keySize);
    require(valueSize >= 0 && valueSize <= 1024 * 1024, "--value-size must be in [0, 1048576], got " + valueSize);
    require(threads >= 1 && threads <= 1024, "--threads must be in [1, 1024], got " + threads);
    require(inFlight >= 1 && inFlight <= 10_000, "--in-flight must be in [1, 10000], got " + inFlight);
    require(!duration.isNegative() && !duration.isZero(), "--duration must be > 0, got " + duration);
    require(ops >= 0, "--ops must be >= 1, got " + ops);
    require(!warmup.isNegative(), "--warmup must be >= 0, got " + warmup);
    require(ratePerSecond >= 0 && Double.isFinite(ratePerSecond), "--rate must be > 0, got " + ratePerSecond);
    require(scanLength >= 1 && scanLength <= 10_000, "--scan-length must be in [1, 10000], got " + scanLength);
    require(!callTimeout.isNegative() && !callTimeout.isZero(), "--call-timeout must be > 0, got " + callTimeout);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  boolean isOpenLoop() {
    return ratePerSecond > 0;
  }

  /**
   * Expands {@code 127.0.0.1:8001,8002,8003}: an entry that is only a port takes the host of the
   * entry before it.
   */
  static List<String> expandEndpoints(String spec) {
    List<String> out = new ArrayList<>();
    String host = null;
    for (String raw : spec.split(",")) {
      String e = raw.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (e.matches("\\d+")) {
        if (host == null) {
          throw new IllegalArgumentException("--endpoints entry '" + e + "' has no host (write host:port first)");
        }
        out.add(host + ":" + e);
      } else {
        int colon = e.lastIndexOf(':');
        host = colon > 0 ? e.substring(0, colon) : e;
        out.add(e);
      }
    }
    return out;
  }

  /** The settings as shown in the report and the JSON, in a stable order. */
  Map<String, Object> echo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoints", String.join(",", endpoints));
    m.put("workload", workload.name().toLowerCase());
    if (workload == Workload.MIXED) {
      m.put("read_ratio", readRatio);
    }
    if (workload == Workload.SCAN) {
      m.put("scan_length", scanLength);
    }
    if (workload != Workload.WRITE) {
      m.put("reads", serializableReads ? "serializable" : "linearizable");
    }
    m.put("keys", keys);
    m.put("key_size", keySize);
    m.put("value_size", valueSize);
    m.put("distribution", distribution.name().toLowerCase());
    m.put("threads", threads);
    m.put("in_flight", inFlight);
    m.put("mode", isOpenLoop() ? "open-loop" : "closed-loop");
    if (isOpenLoop()) {
      m.put("rate", ratePerSecond);
    }
    if (ops > 0) {
      m.put("ops", ops);
    } else {
      m.put("duration", Durations.format(duration));
    }
    m.put("warmup", Durations.format(warmup));
    m.put("preload", preload);
    m.put("seed", seed);
    return m;
  }
}
