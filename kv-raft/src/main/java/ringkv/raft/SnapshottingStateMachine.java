package ringkv.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.snapshot.CorruptSnapshotException;
import ringkv.raft.snapshot.SnapshotStore;

/**
 * The lifecycle every RingKV state machine needs on Ratis 3.3: snapshot storage, loading the
 * newest <em>valid</em> snapshot at start and after a snapshot install, and correct pause/resume
 * transitions.
 *
 * <p>Ratis' {@code BaseStateMachine} leaves the lifecycle in NEW on {@code pause()}; installing a
 * snapshot from the leader then fails its PAUSED assertion and kills the replica
 * (guides/ratis.md section 4). This class does the transitions properly.
 *
 * <p>A snapshot that fails verification is never served from: it is logged with its file name,
 * renamed aside ({@link SnapshotStore#QUARANTINE_SUFFIX}), and the next older one is tried. The
 * log keeps enough entries behind the newest snapshot (see {@code RaftTuning}) for the older
 * one plus the log to rebuild the same state. If no snapshot the log can complete is left, the
 * replica refuses to start rather than serve a state with a hole in it.
 */
public abstract class SnapshottingStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshottingStateMachine.class);

  protected final SnapshotStore storage = new SnapshotStore();
  private final AtomicLong snapshotsLoaded = new AtomicLong();
  private final AtomicLong snapshotsRejected = new AtomicLong();
  private final AtomicLong snapshotsTaken = new AtomicLong();
  private final AtomicLong snapshotNanosTotal = new AtomicLong();
  private volatile long lastSnapshotBytes;

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(this::loadNewestValidSnapshot, IOException.class);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /**
   * Makes a snapshot file just written (and fsync'd) the latest one, the one Ratis sends to a
   * replica that needs it and purges the log behind.
   *
   * <p>Without an MD5 and no {@code .md5} file beside it: Ratis keeps an MD5 of a snapshot file only
   * to check a copy sent to another replica, and when there is none it computes one from the file
   * while sending (Ratis 3.3 {@code FileChunkReader}), which the receiver compares with the bytes
   * it got. What a replica verifies before loading any snapshot, its own or a received one, is the
   * file's CRC32C trailer ({@code SnapshotFile}). Computing the MD5 here read the whole file back
   * on the apply thread, which applies nothing while a snapshot is taken (docs/benchmarks.md).
   */
  protected void registerNewSnapshot(Path file, TermIndex last) {
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, null), last));
  }

  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    LOG.info("leader changed group={} member={} leader={} term={}", member.getGroupId(), member.getPeerId(), newLeader,
        currentTerm());
  }

  @Override
  public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto configuration) {
    LOG.info("membership changed group={} term={} index={} voters={} listeners={}", getGroupId(), term, index,
        configuration.getPeersList().stream().map(p -> p.getId().toStringUtf8()).toList(),
        configuration.getListenersList().stream().map(p -> p.getId().toStringUtf8()).toList());
  }

  private String currentTerm() {
    try {
      return Long.toString(getServer().get().getDivision(getGroupId()).getInfo().getCurrentTerm());
    } catch (Exception e) {
      return "?";
    }
  }

  /** Called after the leader installed a snapshot on this replica. */
  @Override
  public void reinitialize() throws IOException {
    loadNewestValidSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void loadNewestValidSnapshot() throws IOException {
    CorruptSnapshotException firstProblem = null;
    for (SingleFileSnapshotInfo candidate : storage.newestFirst()) {
      try {
        loadSnapshot(candidate.getFile().getPath());
        storage.choose(candidate);
        snapshotsLoaded.incrementAndGet();
        if (firstProblem != null) {
          requireLogCovers(candidate.getIndex(), firstProblem);
          LOG.warn("group={} recovered from older snapshot {} (index {}) plus the log", getGroupId(),
              candidate.getFile().getPath().getFileName(), candidate.getIndex());
        }
        return;
      } catch (CorruptSnapshotException e) {
        snapshotsRejected.incrementAndGet();
        Path aside = storage.quarantine(candidate);
        LOG.error("group={} snapshot {} is unusable: {}; moved aside to {}, trying an older one", getGroupId(),
            candidate.getFile().getPath(), e.getMessage(), aside.getFileName());
        if (firstProblem == null) {
          firstProblem = e;
        }
      }
    }
    storage.choose(null);
    if (firstProblem != null) {
      requireLogCovers(-1, firstProblem);
      LOG.warn("group={} no valid snapshot left; rebuilding the state from the whole log", getGroupId());
    }
  }

  /** Refuses to start when the log no longer holds the entries right after {@code snapshotIndex}. */
  private void requireLogCovers(long snapshotIndex, CorruptSnapshotException cause) throws IOException {
    OptionalLong logStart = storage.logStartIndex();
    if (logStart.isPresent() && logStart.getAsLong() > snapshotIndex + 1) {
      throw new IOException("group " + getGroupId() + ": " + cause.getMessage() + "; the newest valid snapshot ends at index "
          + snapshotIndex + " but the log starts at " + logStart.getAsLong()
          + ", so this replica cannot rebuild its state locally. Remove its group directory to have it"
          + " re-fetch a snapshot from the leader once the other replicas are healthy (docs/operations.md).", cause);
    }
  }

  /**
   * Replaces the in-memory state with the snapshot in {@code file}. Must verify the whole file
   * before changing anything, and throw {@link CorruptSnapshotException} if it is bad.
   */
  protected abstract void loadSnapshot(Path file) throws IOException;

  /** Subclasses call this after writing a snapshot, for the node's metrics. */
  protected void recordSnapshotTaken(long nanos, long bytes) {
    snapshotsTaken.incrementAndGet();
    snapshotNanosTotal.addAndGet(nanos);
    lastSnapshotBytes = bytes;
  }

  /** Snapshots this replica wrote since it started. */
  public long snapshotsTaken() {
    return snapshotsTaken.get();
  }

  /** Time spent writing those snapshots. */
  public double snapshotSecondsTotal() {
    return snapshotNanosTotal.get() / 1e9;
  }

  /** Size of the newest snapshot this replica wrote (0 before the first). */
  public long lastSnapshotBytes() {
    return lastSnapshotBytes;
  }

  /** Bytes of this replica's Raft log segments on disk. */
  public long logSizeBytes() {
    return storage.logSizeBytes();
  }

  /** Snapshots loaded since this replica started (at start and by installation from the leader). */
  public long snapshotsLoaded() {
    return snapshotsLoaded.get();
  }

  /** Snapshot files found corrupt and put aside since this replica started. */
  public long snapshotsRejected() {
    return snapshotsRejected.get();
  }
}
