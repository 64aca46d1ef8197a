package ringkv.server.admin.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the partition moves this node drove cost since it started: the meters of {@code
 * ringkv.server.groups.PartitionMoveMetrics} ({@code ringkv_partition_moves_total}, {@code
 * ringkv_partition_move_bytes_total}, {@code ringkv_partition_frozen_seconds}). They count on the
 * node that drives the moves, the meta leader, so {@code /api/stats} adds up every node's.
 *
 * @param moves partition moves finished
 * @param bytes keys and values copied
 * @param frozen partitions whose frozen time was recorded
 * @param frozenP50Ms the timer's p50 of the frozen time (its decaying window), {@code null} when
 *     nothing was recorded
 * @param frozenP99Ms as {@code frozenP50Ms}, the p99
 * @param frozenMaxMs the timer's decaying max
 */
record MoveStats(
    long moves,
    long bytes,
    long frozen,
    @Nullable Double frozenP50Ms,
    @Nullable Double frozenP99Ms,
    @Nullable Double frozenMaxMs) {

  static final MoveStats NONE = new MoveStats(0, 0, 0, null, null, null);

  /** This node's meters; {@link #NONE} when they are not registered (no move driven here yet). */
  static MoveStats of(MeterRegistry registry) {
    Counter moves = registry.find("ringkv.partition.moves").counter();
    Counter bytes = registry.find("ringkv.partition.move.bytes").counter();
    Timer frozen = registry.find("ringkv.partition.frozen").timer();
    if (moves == null && bytes == null && frozen == null) {
      return NONE;
    }
    HistogramSnapshot snapshot = frozen == null ? null : frozen.takeSnapshot();
    boolean timed = snapshot != null && snapshot.count() > 0;
    return new MoveStats(
        moves == null ? 0 : (long) moves.count(),
        bytes == null ? 0 : (long) bytes.count(),
        snapshot == null ? 0 : snapshot.count(),
        timed ? percentileMs(snapshot, 0.5) : null,
        timed ? percentileMs(snapshot, 0.99) : null,
        timed ? snapshot.max(TimeUnit.MILLISECONDS) : null);
  }

  private static @Nullable Double percentileMs(HistogramSnapshot snapshot, double percentile) {
    for (ValueAtPercentile value : snapshot.percentileValues()) {
      if (value.percentile() == percentile) {
        return value.value(TimeUnit.MILLISECONDS);
      }
    }
    return null;
  }

  /**
   * The cluster's: counts added up; for the frozen times, those of the node that recorded the most
   * (a meta leader that changed leaves older figures on the node that led before).
   */
  static MoveStats sum(Iterable<MoveStats> nodes) {
    long moves = 0;
    long bytes = 0;
    long frozen = 0;
    MoveStats most = NONE;
    for (MoveStats node : nodes) {
      moves += node.moves;
      bytes += node.bytes;
      frozen += node.frozen;
      if (node.frozen > most.frozen) {
        most = node;
      }
    }
    return new MoveStats(moves, bytes, frozen, most.frozenP50Ms, most.frozenP99Ms, most.frozenMaxMs);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("moves", moves);
    json.put("bytes", bytes);
    json.put("frozen", frozen);
    json.put("frozenP50Ms", frozenP50Ms);
    json.put("frozenP99Ms", frozenP99Ms);
    json.put("frozenMaxMs", frozenMaxMs);
    return json;
  }

  /** Reads what {@link #toJson} wrote; {@link #NONE} for a peer that does not report moves. */
  static MoveStats fromJson(@Nullable Object parsed) {
    if (!(parsed instanceof Map<?, ?> json)) {
      return NONE;
    }
    return new MoveStats(
        count(json, "moves"),
        count(json, "bytes"),
        count(json, "frozen"),
        NodeStats.optional(json, "frozenP50Ms"),
        NodeStats.optional(json, "frozenP99Ms"),
        NodeStats.optional(json, "frozenMaxMs"));
  }

  private static long count(Map<?, ?> json, String field) {
    return json.get(field) instanceof Number n ? n.longValue() : 0;
  }
}
