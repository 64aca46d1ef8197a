package ringkv.server.admin.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import ringkv.server.NodeMetrics;

/**
 * One node's request rates over its last window, as {@code /api/stats/local} serves them.
 *
 * @param node the node id
 * @param windowSeconds the window the rates cover; 0 while {@code warmingUp}
 * @param warmingUp true on the first sample, which has nothing to compare with
 * @param opsPerSec calls to this node's {@code ringkv.v1.KV} gRPC service per second, every code
 * @param errorsPerSec of those, the calls that ended with a code other than OK
 * @param p99Ms 99th percentile of those calls' latency in the window (the upper bound of the
 *     histogram bucket it falls in); {@code null} without calls
 * @param shards this node's shard replicas
 * @param moves the partition moves this node drove since it started
 * @param dataMemory the data its replicas hold against {@code max-data-memory}; {@code null} from a
 *     node of a version without the limit
 */
record NodeStats(String node, double windowSeconds, boolean warmingUp, double opsPerSec, double errorsPerSec,
    @Nullable Double p99Ms, List<ShardStats> shards, MoveStats moves, @Nullable DataMemory dataMemory) {

  NodeStats {
    shards = List.copyOf(shards);
  }

  /**
   * One replica's Raft request rates, as Ratis times them where the request is handled (the leader
   * for writes and linearizable reads).
   *
   * @param p99WriteMs Ratis' p99 of write requests (a decaying sample biased to the last ~5
   *     minutes); {@code null} when no write arrived in the window
   */
  record ShardStats(int shard, String role, double writesPerSec, double readsPerSec, @Nullable Double p99WriteMs,
      @Nullable Double p99ReadMs) {

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("shard", shard);
      json.put("role", role);
      json.put("writesPerSec", writesPerSec);
      json.put("readsPerSec", readsPerSec);
      json.put("p99WriteMs", p99WriteMs);
      json.put("p99ReadMs", p99ReadMs);
      return json;
    }

    static ShardStats fromJson(Map<?, ?> json) {
      return new ShardStats((int) number(json, "shard"), String.valueOf(json.get("role")), number(json, "writesPerSec"),
          number(json, "readsPerSec"), optional(json, "p99WriteMs"), optional(json, "p99ReadMs"));
    }
  }

  /**
   * The gauges {@code ringkv_node_data_memory_bytes} and {@code ringkv_node_data_memory_limit_bytes}:
   * writes that add data are refused from {@code heldBytes >= limitBytes} on.
   */
  record DataMemory(long heldBytes, long limitBytes) {

    /** This node's gauges; {@code null} when they are not registered. */
    static @Nullable DataMemory of(MeterRegistry registry) {
      Gauge held = registry.find(NodeMetrics.DATA_MEMORY_BYTES).gauge();
      Gauge limit = registry.find(NodeMetrics.DATA_MEMORY_LIMIT_BYTES).gauge();
      return held == null || limit == null ? null : new DataMemory((long) held.value(), (long) limit.value());
    }

    static @Nullable DataMemory fromJson(@Nullable Object json) {
      return json instanceof Map<?, ?> m ? new DataMemory((long) number(m, "heldBytes"), (long) number(m, "limitBytes"))
          : null;
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("heldBytes", heldBytes);
      json.put("limitBytes", limitBytes);
      return json;
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("node", node);
    json.put("windowSeconds", windowSeconds);
    json.put("warmingUp", warmingUp);
    json.put("opsPerSec", opsPerSec);
    json.put("errorsPerSec", errorsPerSec);
    json.put("p99Ms", p99Ms);
    json.put("shards", shards.stream().map(ShardStats::toJson).toList());
    json.put("partitionMoves", moves.toJson());
    json.put("dataMemory", dataMemory == null ? null : dataMemory.toJson());
    return json;
  }

  /** Reads what {@link #toJson} wrote (on another node); {@link IllegalArgumentException} if not. */
  static NodeStats fromJson(@Nullable Object parsed) {
    if (!(parsed instanceof Map<?, ?> json) || !(json.get("shards") instanceof List<?> shardList)) {
      throw new IllegalArgumentException("not a /api/stats/local answer");
    }
    List<ShardStats> shards = new ArrayList<>();
    for (Object shard : shardList) {
      if (!(shard instanceof Map<?, ?> s)) {
        throw new IllegalArgumentException("not a shard entry: " + shard);
      }
      shards.add(ShardStats.fromJson(s));
    }
    return new NodeStats(String.valueOf(json.get("node")), number(json, "windowSeconds"),
        Boolean.TRUE.equals(json.get("warmingUp")), number(json, "opsPerSec"), number(json, "errorsPerSec"),
        optional(json, "p99Ms"), shards, MoveStats.fromJson(json.get("partitionMoves")),
        DataMemory.fromJson(json.get("dataMemory")));
  }

  private static double number(Map<?, ?> json, String field) {
    if (json.get(field) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("field " + field + " is not a number: " + json.get(field));
  }

  static @Nullable Double optional(Map<?, ?> json, String field) {
    return json.get(field) instanceof Number n ? n.doubleValue() : null;
  }
}
