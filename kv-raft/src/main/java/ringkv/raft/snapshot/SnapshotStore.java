package ringkv.raft.snapshot;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.snapshot.SnapshotFile;

/**
 * The snapshot files of one group replica, as Ratis' {@link SimpleStateMachineStorage} keeps
 * them, plus what Ratis lacks: choosing an <em>older</em> snapshot when the newest one is bad.
 *
 * <p>Ratis' storage only ever moves its "latest snapshot" forward. After a corrupt newest file
 * is put aside with {@link #quarantine}, the replica must report the older snapshot it really
 * loaded, or Ratis would open the log behind a snapshot that does not exist. So this class keeps
 * its own notion of the latest snapshot, set by {@link #choose}.
 *
 * <p>Once known, the answer "no snapshot yet" is remembered as well as a snapshot is: Ratis asks
 * for the latest snapshot on every AppendEntries a follower receives and on every pass of the
 * leader's appenders, and listing the directory each time cost 3-4 % of a node's CPU under load
 * (docs/benchmarks.md, "Making it fast", step 8). Every way a snapshot file appears goes through
 * {@link #updateLatestSnapshot} (taking one) or {@link #choose} (loading one at start or after an
 * installation from the leader).
 */
public final class SnapshotStore extends SimpleStateMachineStorage {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  /** Suffix of a snapshot file that failed verification; it no longer matches Ratis' pattern. */
  public static final String QUARANTINE_SUFFIX = ".corrupt";
  private static final Pattern LOG_SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  /** null until known; then the latest snapshot, or empty when the replica has none. */
  private final AtomicReference<@Nullable Optional<SingleFileSnapshotInfo>> latest = new AtomicReference<>();
  private volatile @Nullable File stateMachineDir;
  private volatile @Nullable File logDir;
  /** Index of the latest snapshot when the clean-up last ran; the clean-up has nothing to do until it moves. */
  private volatile long cleanedUpAt = Long.MIN_VALUE;

  /**
   * Opens the replica's snapshot directory, and deletes what a crash in the middle of writing a
   * snapshot left there: nothing writes into it before the state machine has started, and a
   * snapshot is written in the background (BackgroundSnapshots), so a node killed under load may
   * well leave a partly written file as large as its data.
   */
  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    File dir = raftStorage.getStorageDir().getStateMachineDir();
    stateMachineDir = dir;
    logDir = raftStorage.getStorageDir().getCurrentDir();
    for (Path unfinished : SnapshotFile.deleteUnfinished(dir.toPath())) {
      LOG.info("deleted a snapshot file left unfinished by a crash: {}", unfinished);
    }
    super.init(raftStorage);
  }

  /** Every snapshot file of this replica, newest first. */
  public List<SingleFileSnapshotInfo> newestFirst() throws IOException {
    File dir = stateMachineDir;
    List<SingleFileSnapshotInfo> found = new ArrayList<>();
    if (dir == null || !dir.isDirectory()) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.toPath())) {
      for (Path file : files) {
        Matcher m = SNAPSHOT_REGEX.matcher(file.getFileName().toString());
        if (m.matches()) {
          found.add(new SingleFileSnapshotInfo(new FileInfo(file, MD5FileUtil.readStoredMd5ForFile(file.toFile())),
              Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
      }
    }
    found.sort(Comparator.comparingLong(SingleFileSnapshotInfo::getIndex).reversed());
    return found;
  }

  /** Makes {@code snapshot} (possibly older than others on disk) the one Ratis sees as latest. */
  public void choose(@Nullable SingleFileSnapshotInfo snapshot) {
    latest.set(Optional.ofNullable(snapshot));
  }

  /**
   * Renames a snapshot that failed verification (and its MD5 file) so that it is never loaded or
   * sent to another replica again, but stays on disk for a person to look at.
   *
   * @return the new name of the file
   */
  public Path quarantine(SingleFileSnapshotInfo snapshot) throws IOException {
    Path file = snapshot.getFile().getPath();
    Path target = file.resolveSibling(file.getFileName() + QUARANTINE_SUFFIX);
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(MD5FileUtil.getDigestFileForFile(file.toFile()).toPath());
    return target;
  }

  /**
   * The first index the replica's Raft log still holds (the start of its oldest segment), or
   * empty when the log has no segments. A snapshot at index i can only be completed by the log
   * when the log starts at or before i + 1.
   */
  public OptionalLong logStartIndex() throws IOException {
    File dir = logDir;
    if (dir == null || !dir.isDirectory()) {
      return OptionalLong.empty();
    }
    long min = Long.MAX_VALUE;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.toPath())) {
      for (Path file : files) {
        Matcher m = LOG_SEGMENT.matcher(file.getFileName().toString());
        if (m.matches()) {
          min = Math.min(min, Long.parseLong(m.group(1)));
        }
      }
    }
    return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
  }

  /** Total size of the log segment files; 0 when it cannot be read (a metric, not a decision). */
  public long logSizeBytes() {
    File dir = logDir;
    if (dir == null) {
      return 0;
    }
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.toPath())) {
      for (Path file : files) {
        if (LOG_SEGMENT.matcher(file.getFileName().toString()).matches()) {
          total += Files.size(file);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /**
   * Deletes all but the newest {@code policy.getNumSnapshotsRetained()} snapshot files (with their
   * {@code .md5} files, which snapshots written before step 14 have).
   *
   * <p>Replaces Ratis' clean-up, which counts only snapshots that have an MD5 file beside them:
   * RingKV's have none since step 14 (docs/benchmarks.md), so Ratis' version deleted nothing and
   * logged a warning per file, and a replica's snapshots piled up on disk. This one never deletes
   * the snapshot in use ({@link #getLatestSnapshot}), which after a quarantine may be older than
   * others on disk. Ratis calls it after every {@code takeSnapshot}; it lists the directory only
   * when the latest snapshot changed since it last ran.
   */
  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int retained = policy == null ? SnapshotRetentionPolicy.DEFAULT_ALL_SNAPSHOTS_RETAINED : policy.getNumSnapshotsRetained();
    SingleFileSnapshotInfo inUse = getLatestSnapshot();
    long inUseIndex = inUse == null ? -1 : inUse.getIndex();
    if (retained <= 0 || inUseIndex == cleanedUpAt) {
      return;
    }
    List<SingleFileSnapshotInfo> all = newestFirst();
    for (SingleFileSnapshotInfo old : all.subList(Math.min(retained, all.size()), all.size())) {
      if (old.getIndex() < inUseIndex) {
        Path file = old.getFile().getPath();
        Files.deleteIfExists(file);
        Files.deleteIfExists(MD5FileUtil.getDigestFileForFile(file.toFile()).toPath());
        LOG.info("deleted old snapshot {} (keeping the newest {})", file, retained);
      }
    }
    cleanedUpAt = inUseIndex;
  }

  @Override
  public SingleFileSnapshotInfo updateLatestSnapshot(SingleFileSnapshotInfo info) {
    return latest.updateAndGet(previous -> previous == null || previous.isEmpty() || info.getIndex() > previous.get().getIndex()
        ? Optional.of(info) : previous).orElseThrow();
  }

  @Override
  public @Nullable SingleFileSnapshotInfo getLatestSnapshot() {
    Optional<SingleFileSnapshotInfo> known = latest.get();
    return known != null ? known.orElse(null) : loadLatestSnapshot();
  }

  /** The newest snapshot file on disk (not verified; see the state machine's loading). */
  @Override
  public @Nullable SingleFileSnapshotInfo loadLatestSnapshot() {
    try {
      List<SingleFileSnapshotInfo> all = newestFirst();
      SingleFileSnapshotInfo newest = all.isEmpty() ? null : all.get(0);
      latest.set(Optional.ofNullable(newest));
      return newest;
    } catch (IOException e) {
      return null;
    }
  }
}
