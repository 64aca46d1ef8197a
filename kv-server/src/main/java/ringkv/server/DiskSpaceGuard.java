package ringkv.server;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.LogEntry;
import ringkv.raft.shard.WriteGate;
import ringkv.raft.shard.WriteRefusal;

/**
 * Refuses writes while the data dir's file system has less free space than the reserve, so that a
 * filling disk ends in a clear RESOURCE_EXHAUSTED instead of a Raft log that cannot be appended
 * to. Reads go on. Writes are admitted again as soon as space returns.
 *
 * <p>Checked at two places: where a write enters this node ({@link #check}) and on a shard's
 * leader before the entry is appended (as the shard state machine's {@link WriteGate}), because
 * a write forwarded from another node reaches the leader's Raft server directly.
 *
 * <p>The free space is probed at most once per {@link #PROBE_INTERVAL_NANOS}: a statfs call per
 * request is cheap but not free, and a second of lag is far inside the reserve.
 */
public final class DiskSpaceGuard implements WriteGate {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);
  static final long PROBE_INTERVAL_NANOS = 500_000_000L;

  private final Path dataDir;
  private final long reserveBytes;
  private volatile long probedAtNanos;
  private volatile boolean probed;
  private volatile long usableBytes = Long.MAX_VALUE;
  private volatile boolean full;

  public DiskSpaceGuard(Path dataDir, long reserveBytes) {
    this.dataDir = dataDir;
    this.reserveBytes = reserveBytes;
  }

  @Override
  public @Nullable WriteRefusal refusal(Supplier<LogEntry> entry) {
    return refusal();
  }

  /** Why writes are refused right now, or null when they are admitted. */
  public @Nullable WriteRefusal refusal() {
    probeIfDue();
    if (!full) {
      return null;
    }
    return new WriteRefusal(ErrorReason.DISK_FULL, "disk full: the data dir " + dataDir + " has " + mib(usableBytes)
        + " MiB free, below the reserve of " + mib(reserveBytes)
        + " MiB (min-free-disk); writes are refused until space is freed, reads still work");
  }

  /** Throws DISK_FULL (RESOURCE_EXHAUSTED) when writes are refused. */
  public void check() {
    WriteRefusal refusal = refusal();
    if (refusal != null) {
      throw new RequestFailedException(refusal.reason(), refusal.message(), false);
    }
  }

  public long usableBytes() {
    probeIfDue();
    return usableBytes;
  }

  private void probeIfDue() {
    long now = System.nanoTime();
    if (probed && now - probedAtNanos < PROBE_INTERVAL_NANOS) {
      return;
    }
    probedAtNanos = now;
    probed = true;
    try {
      FileStore store = Files.getFileStore(dataDir);
      usableBytes = store.getUsableSpace();
    } catch (IOException e) {
      LOG.warn("cannot read free space of data dir {}: {}", dataDir, e.toString());
      return;
    }
    boolean nowFull = usableBytes < reserveBytes;
    if (nowFull != full) {
      full = nowFull;
      if (nowFull) {
        LOG.error("disk full: data dir {} has {} MiB free, below the reserve of {} MiB; refusing writes", dataDir,
            mib(usableBytes), mib(reserveBytes));
      } else {
        LOG.info("disk space back: data dir {} has {} MiB free; accepting writes again", dataDir, mib(usableBytes));
      }
    }
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
