package ringkv.server;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.Command;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.TxnStep;
import ringkv.raft.shard.WriteGate;
import ringkv.raft.shard.WriteRefusal;

/**
 * Refuses writes that add data while this node holds {@code max-data-memory} of it. A node keeps
 * every key and value of its replicas in its heap; without a limit a growing data set first makes
 * the collector stop the node for seconds (leaders lost), then ends in an OutOfMemoryError, and since
 * every replica holds the same data, all replicas of a shard fail together and again on restart. With
 * it, the client gets a clear RESOURCE_EXHAUSTED (MEMORY_FULL) and nothing changes.
 *
 * <p>What a node holds is counted as the store holds it: the keys' and values' bytes plus
 * {@link #INDEX_BYTES_PER_KEY} of index per key, over all shard replicas of the node. Deletes and the
 * steps of partition moves are always admitted, so that space can be freed and resharding finishes.
 *
 * <p>Checked where a write enters a node that holds a replica of its shard ({@link #check}) and on the
 * shard's leader before the entry is appended (as the shard state machine's {@link WriteGate}), which
 * every write passes, forwarded or not. The count is taken at most once per
 * {@link #MEASURE_INTERVAL_NANOS}: it walks the node's replicas, and a tenth of a second of writes
 * past the limit is far inside the heap's headroom.
 */
public final class DataMemoryGuard implements WriteGate {
  private static final Logger LOG = LoggerFactory.getLogger(DataMemoryGuard.class);
  /** Heap a key costs beyond its bytes and its value's (measured, docs/architecture.md "The store"). */
  public static final long INDEX_BYTES_PER_KEY = 133;
  static final long MEASURE_INTERVAL_NANOS = 100_000_000L;
  /** Share of the limit at which the node logs a warning, once, before anything is refused. */
  static final double WARNING_SHARE = 0.8;

  private final long limitBytes;
  private final LongSupplier heldBytes;
  private final long measureIntervalNanos;
  private volatile long measuredAtNanos;
  private volatile boolean measured;
  private volatile long held;
  private volatile boolean full;
  private volatile boolean warned;

  /**
   * @param limitBytes refuse writes that add data from this many bytes held
   * @param heldBytes what the node holds now, as {@link #bytesHeld} counts it
   */
  public DataMemoryGuard(long limitBytes, LongSupplier heldBytes) {
    this(limitBytes, heldBytes, MEASURE_INTERVAL_NANOS);
  }

  DataMemoryGuard(long limitBytes, LongSupplier heldBytes, long measureIntervalNanos) {
    this.limitBytes = limitBytes;
    this.heldBytes = heldBytes;
    this.measureIntervalNanos = measureIntervalNanos;
  }

  /** What a store of {@code keys} keys holding {@code keyAndValueBytes} costs the heap, by this guard's count. */
  public static long bytesHeld(long keys, long keyAndValueBytes) {
    return keyAndValueBytes + keys * INDEX_BYTES_PER_KEY;
  }

  /** True for the commands that can make a shard hold more: puts, and transactions with a put. */
  public static boolean addsData(Command command) {
    return switch (command.getOpCase()) {
      case PUT -> true;
      case TXN -> command.getTxn().getSuccessList().stream().anyMatch(TxnStep::hasPut)
          || command.getTxn().getFailureList().stream().anyMatch(TxnStep::hasPut);
      default -> false;
    };
  }

  @Override
  public @Nullable WriteRefusal refusal(Supplier<LogEntry> entry) {
    if (!full()) {
      return null;
    }
    return entry.get().getCommandsList().stream().anyMatch(DataMemoryGuard::addsData) ? refusal() : null;
  }

  /** Throws MEMORY_FULL (RESOURCE_EXHAUSTED) if the command adds data while the node is full and hosts its shard. */
  public void check(Command command, BooleanSupplier hostsShard) {
    if (full() && addsData(command) && hostsShard.getAsBoolean()) {
      WriteRefusal refusal = refusal();
      throw new RequestFailedException(refusal.reason(), refusal.message(), false);
    }
  }

  /** Why writes that add data are refused right now, or null while the node is under its limit. */
  public @Nullable WriteRefusal refusalWhenFull() {
    return full() ? refusal() : null;
  }

  public long heldBytes() {
    measureIfDue();
    return held;
  }

  public long limitBytes() {
    return limitBytes;
  }

  private boolean full() {
    measureIfDue();
    return full;
  }

  private WriteRefusal refusal() {
    return new WriteRefusal(ErrorReason.MEMORY_FULL, "memory full: this node holds " + mib(held)
        + " MiB of data (keys, values and their index) in its heap, at the limit of " + mib(limitBytes)
        + " MiB (max-data-memory); writes that add data are refused, deletes and reads still work. "
        + "Delete data, or give the nodes more heap or more nodes (docs/operations.md, \"Memory\")");
  }

  private void measureIfDue() {
    long now = System.nanoTime();
    if (measured && now - measuredAtNanos < measureIntervalNanos) {
      return;
    }
    measuredAtNanos = now;
    measured = true;
    held = heldBytes.getAsLong();
    boolean nowFull = held >= limitBytes;
    if (nowFull != full) {
      full = nowFull;
      if (nowFull) {
        LOG.error("memory full: this node holds {} MiB of data, at max-data-memory ({} MiB); refusing writes that add data",
            mib(held), mib(limitBytes));
      } else {
        LOG.info("memory below max-data-memory again: this node holds {} MiB of data ({} MiB allowed); accepting writes",
            mib(held), mib(limitBytes));
      }
    }
    if (held >= WARNING_SHARE * limitBytes) {
      if (!warned) {
        warned = true;
        LOG.warn("this node holds {} MiB of data, {}% of max-data-memory ({} MiB): writes that add data will be "
            + "refused at the limit; delete data, or give the nodes more heap or more nodes", mib(held),
            Math.round(100.0 * held / limitBytes), mib(limitBytes));
      }
    } else if (held < (WARNING_SHARE - 0.1) * limitBytes) {
      warned = false;  // warn again on the next approach, not on every wobble around the mark
    }
  }

  /** One decimal: a small limit (tests, a tight heap) must not read "holds 1 MiB, at the limit of 1 MiB". */
  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (double) (1 << 20));
  }
}
