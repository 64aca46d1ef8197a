package ringkv.raft.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.server.RaftServerConfigKeys.Log.CorruptionPolicy;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.server.storage.StorageImplUtils;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.snapshot.SnapshotFile;

class SnapshotStoreTest {
  @TempDir Path dir;

  private RaftStorage raftStorage;
  private final SnapshotStore store = new SnapshotStore();

  @BeforeEach
  void openStorage() throws IOException {
    raftStorage = StorageImplUtils.newRaftStorage(dir.toFile(), SizeInBytes.valueOf("1MB"), StartupOption.FORMAT,
        CorruptionPolicy.EXCEPTION);
    raftStorage.initialize();
  }

  @AfterEach
  void closeStorage() throws IOException {
    raftStorage.close();
  }

  private Path writeSnapshotFile(long term, long index) throws IOException {
    File file = new File(raftStorage.getStorageDir().getStateMachineDir(),
        SimpleStateMachineStorage.getSnapshotFileName(term, index));
    Files.writeString(file.toPath(), "snapshot " + index);
    return file.toPath();
  }

  private static SingleFileSnapshotInfo info(Path file, long term, long index) {
    return new SingleFileSnapshotInfo(new FileInfo(file, null), term, index);
  }

  @Test
  void at_start_the_newest_file_on_disk_is_the_latest() throws IOException {
    writeSnapshotFile(1, 10);
    writeSnapshotFile(1, 30);
    writeSnapshotFile(1, 20);
    store.init(raftStorage);

    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(30);
  }

  @Test
  void at_start_a_partly_written_snapshot_left_by_a_crash_is_deleted() throws IOException {
    Path complete = writeSnapshotFile(1, 10);
    Path stateMachineDir = complete.getParent();
    Path unfinished = stateMachineDir.resolve(SnapshotFile.TEMP_PREFIX + SimpleStateMachineStorage.getSnapshotFileName(1, 20));
    Files.write(unfinished, new byte[4096]);

    store.init(raftStorage);

    assertThat(unfinished).doesNotExist();
    assertThat(complete).exists();
    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(10);
  }

  @Test
  void once_chosen_none_is_remembered_instead_of_listing_the_directory_again() throws IOException {
    store.init(raftStorage);
    store.choose(null);
    writeSnapshotFile(1, 10); // not taken through the store: the store does not look

    assertThat(store.getLatestSnapshot()).isNull();
  }

  @Test
  void a_taken_snapshot_replaces_none_and_only_a_newer_one_replaces_it() throws IOException {
    store.init(raftStorage);
    store.choose(null);
    Path first = writeSnapshotFile(1, 10);
    store.updateLatestSnapshot(info(first, 1, 10));
    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(10);

    Path older = writeSnapshotFile(1, 5);
    store.updateLatestSnapshot(info(older, 1, 5));
    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(10);

    Path newer = writeSnapshotFile(2, 40);
    store.updateLatestSnapshot(info(newer, 2, 40));
    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(40);
  }

  @Test
  void choosing_an_older_snapshot_after_quarantining_the_newest_reports_the_older_one() throws IOException {
    Path older = writeSnapshotFile(1, 10);
    Path newest = writeSnapshotFile(1, 20);
    store.init(raftStorage);
    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(20);

    store.quarantine(info(newest, 1, 20));
    store.choose(info(older, 1, 10));

    assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(10);
    assertThat(store.newestFirst()).extracting(SingleFileSnapshotInfo::getIndex).containsExactly(10L);
  }

  private static SnapshotRetentionPolicy keep(int count) {
    return new SnapshotRetentionPolicy() {
      @Override
      public int getNumSnapshotsRetained() {
        return count;
      }
    };
  }

  @Test
  void clean_up_keeps_the_newest_snapshots_without_md5_files_and_deletes_the_older_ones() throws IOException {
    Path oldest = writeSnapshotFile(1, 10);
    MD5FileUtil.computeAndSaveMd5ForFile(oldest.toFile()); // written before snapshots dropped their MD5
    Path old = writeSnapshotFile(1, 20);
    Path kept = writeSnapshotFile(1, 30);
    Path newest = writeSnapshotFile(2, 40);
    store.init(raftStorage);

    store.cleanupOldSnapshots(keep(2));

    assertThat(store.newestFirst()).extracting(SingleFileSnapshotInfo::getIndex).containsExactly(40L, 30L);
    assertThat(oldest).doesNotExist();
    assertThat(MD5FileUtil.getDigestFileForFile(oldest.toFile())).doesNotExist();
    assertThat(old).doesNotExist();
    assertThat(kept).exists();
    assertThat(newest).exists();
  }

  @Test
  void clean_up_never_deletes_the_snapshot_in_use_even_when_newer_files_exist() throws IOException {
    Path inUse = writeSnapshotFile(1, 10);
    writeSnapshotFile(1, 20);
    writeSnapshotFile(1, 30);
    store.init(raftStorage);
    store.choose(info(inUse, 1, 10)); // as after the newer ones failed to load

    store.cleanupOldSnapshots(keep(1));

    assertThat(inUse).exists();
  }

  @Test
  void clean_up_runs_again_only_after_a_newer_snapshot_was_taken() throws IOException {
    writeSnapshotFile(1, 10);
    store.init(raftStorage);
    store.cleanupOldSnapshots(keep(1));
    Path notYetCleaned = writeSnapshotFile(1, 5); // appears without a new latest snapshot

    store.cleanupOldSnapshots(keep(1));
    assertThat(notYetCleaned).exists();

    store.updateLatestSnapshot(info(writeSnapshotFile(1, 20), 1, 20));
    store.cleanupOldSnapshots(keep(1));
    assertThat(store.newestFirst()).extracting(SingleFileSnapshotInfo::getIndex).containsExactly(20L);
  }
}
