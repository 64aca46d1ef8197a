package ringkv.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.SessionConfig;
import ringkv.router.NodeId;
import ringkv.router.Partitioner;

/**
 * Builds a {@link NodeConfig} from three layers, each overriding the one before: a properties
 * file ({@code --config}), environment variables ({@code RINGKV_<KEY>}, e.g. {@code
 * RINGKV_DATA_DIR}), and command-line flags ({@code --data-dir}). Every key is documented in
 * docs/configuration.md. Unknown keys in the file are an error, so typos do not pass silently.
 */
public final class ConfigLoader {
  /** Every setting, by its flag/file name. */
  public static final Set<String> KEYS = Set.of(
      "node-id", "cluster-id", "bind-host", "advertise-host", "raft-port", "api-port", "admin-port", "data-dir",
      "bootstrap", "shards", "replication", "partitions", "join",
      "election-timeout-min", "election-timeout-max", "snapshot-every-entries", "entries-in-flight",
      "max-key-bytes", "max-value-bytes", "min-free-disk", "max-data-memory", "session-ttl", "drain-timeout");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|TiB)");
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})\\s*%");

  private ConfigLoader() {}

  /** The env variable that sets {@code key}: {@code data-dir} -> {@code RINGKV_DATA_DIR}. */
  public static String envName(String key) {
    return "RINGKV_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public static NodeConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> merged = new HashMap<>();
    if (file != null) {
      merged.putAll(readFile(file));
    }
    for (String key : KEYS) {
      String value = env.get(envName(key));
      if (value != null && !value.isBlank()) {
        merged.put(key, value);
      }
    }
    flags.forEach((k, v) -> {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown setting '" + k + "'");
      }
      if (v != null) {
        merged.put(k, v);
      }
    });
    return build(merged);
  }

  static NodeConfig build(Map<String, String> s) {
    NodeId nodeId = NodeId.of(s.getOrDefault("node-id", "n1"));
    String bindHost = s.getOrDefault("bind-host", "127.0.0.1");
    Duration electionMin = duration(s, "election-timeout-min", RaftTuning.DEFAULTS.electionTimeoutMin());
    Duration electionMax = duration(s, "election-timeout-max",
        s.containsKey("election-timeout-min") && !s.containsKey("election-timeout-max")
            ? electionMin.multipliedBy(2) : RaftTuning.DEFAULTS.electionTimeoutMax());
    RaftTuning raft = RaftTuning.DEFAULTS
        .withElectionTimeout(electionMin, electionMax)
        .withSnapshotAutoTriggerEntries(longValue(s, "snapshot-every-entries", RaftTuning.DEFAULTS.snapshotAutoTriggerEntries()))
        .withEntriesInFlight((int) Math.min(Integer.MAX_VALUE, longValue(s, "entries-in-flight", RaftTuning.DEFAULTS.entriesInFlight())));
    RequestLimits limits = new RequestLimits(
        (int) longValue(s, "max-key-bytes", RequestLimits.DEFAULTS.maxKeyBytes()),
        (int) longValue(s, "max-value-bytes", RequestLimits.DEFAULTS.maxValueBytes()),
        size(s, "min-free-disk", RequestLimits.DEFAULTS.minFreeDiskBytes()),
        s.containsKey("max-data-memory") ? parseMemoryLimit("max-data-memory", s.get("max-data-memory"))
            : RequestLimits.DEFAULTS.maxDataMemoryBytes());
    SessionConfig sessions = new SessionConfig(
        duration(s, "session-ttl", SessionConfig.DEFAULTS.ttl()),
        SessionConfig.DEFAULTS.maxSessions(), SessionConfig.DEFAULTS.maxRepliesPerSession());
    BootstrapSettings bootstrap = null;
    if (Boolean.parseBoolean(s.getOrDefault("bootstrap", "false"))) {
      bootstrap = new BootstrapSettings(
          (int) longValue(s, "shards", 3),
          (int) longValue(s, "replication", 3),
          (int) longValue(s, "partitions", Partitioner.DEFAULT_PARTITION_COUNT));
    } else {
      for (String onlyAtBootstrap : List.of("shards", "replication", "partitions")) {
        if (s.containsKey(onlyAtBootstrap)) {
          throw new IllegalArgumentException("--" + onlyAtBootstrap + " only applies with --bootstrap (the cluster's shape is fixed when it is created)");
        }
      }
    }
    List<String> join = new ArrayList<>();
    for (String endpoint : s.getOrDefault("join", "").split(",")) {
      if (!endpoint.isBlank()) {
        join.add(endpoint.trim());
      }
    }
    int apiPort = (int) longValue(s, "api-port", 8001);
    return new NodeConfig(
        nodeId,
        s.getOrDefault("cluster-id", "ringkv"),
        bindHost,
        s.getOrDefault("advertise-host", bindHost),
        (int) longValue(s, "raft-port", 7001),
        apiPort,
        Path.of(s.getOrDefault("data-dir", "data/" + nodeId)),
        bootstrap,
        join,
        raft, limits, sessions,
        (int) longValue(s, "admin-port", apiPort + 1000),
        duration(s, "drain-timeout", NodeConfig.DEFAULT_DRAIN_TIMEOUT));
  }

  private static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("config file " + file + " has unknown settings " + unknown);
    }
    Map<String, String> values = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
    return values;
  }

  private static long longValue(Map<String, String> s, String key, long fallback) {
    String v = s.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
  public static Duration parseDuration(String key, String v) {
    Matcher m = DURATION.matcher(v.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(key + " must be a duration like 500ms, 10s, 2m or 1h, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Parses a byte size: {@code 1048576}, {@code 512MiB}, {@code 2GiB} (binary units). */
  public static long parseSize(String key, String v) {
    Matcher m = SIZE.matcher(v.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(key + " must be a size like 268435456, 256MiB or 2GiB, got '" + v + "'");
    }
    int shift = switch (m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      case "TiB" -> 40;
      default -> 0;
    };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(key + " is too large: '" + v + "'");
    }
    return n << shift;
  }

  /** Parses a byte size, or a share of this JVM's maximum heap: {@code 60%}, {@code 1 to 100}. */
  public static long parseMemoryLimit(String key, String v) {
    Matcher m = PERCENT.matcher(v.trim());
    if (!m.matches()) {
      return parseSize(key, v);
    }
    int percent = Integer.parseInt(m.group(1));
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException(key + " must be a share of the heap from 1% to 100%, or a size like 2GiB, got '" + v + "'");
    }
    return RequestLimits.percentOfHeap(percent);
  }

  private static long size(Map<String, String> s, String key, long fallback) {
    String v = s.get(key);
    return v == null ? fallback : parseSize(key, v);
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback) {
    String v = s.get(key);
    return v == null ? fallback : parseDuration(key, v);
  }
}
