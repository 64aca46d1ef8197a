package ringkv.server.groups;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What partition moves cost, counted on the node that drives them (the meta leader):
 * {@code ringkv_partition_moves_total}, {@code ringkv_partition_move_bytes_total} (keys plus values
 * copied) and {@code ringkv_partition_frozen_seconds} (from the freeze until the map names the new
 * owner: the time the partition refused requests).
 */
public final class PartitionMoveMetrics {
  private final Counter moves;
  private final Counter bytes;
  private final Timer frozen;

  public PartitionMoveMetrics(MeterRegistry registry) {
    moves = Counter.builder("ringkv.partition.moves").description("Partition moves finished (copied and dropped)")
        .register(registry);
    bytes = Counter.builder("ringkv.partition.move.bytes").baseUnit("bytes")
        .description("Bytes of keys and values copied by partition moves").register(registry);
    frozen = Timer.builder("ringkv.partition.frozen")
        .description("Time a moving partition refused requests: freeze to the map's switch of owner")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  void copied(long byteCount, long frozenNanos) {
    bytes.increment(byteCount);
    frozen.record(frozenNanos, TimeUnit.NANOSECONDS);
  }

  void finished() {
    moves.increment();
  }
}
