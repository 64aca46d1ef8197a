package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import ringkv.api.snapshot.CorruptSnapshotException;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.SnapshotHeader;
import ringkv.raft.codec.CommandCodec;

/**
 * The upgrade contract, checked against files older versions wrote ({@link FormatFixtures}): the
 * current code reads every checked-in snapshot and log fixture with exactly the keys, values,
 * revisions and results that the version which wrote them had, and refuses a format newer than
 * its own with an error that says so.
 */
class FormatCompatibilityTest {
  @TempDir Path dir;

  @Test
  void fixtures_includeThePreviousAndCurrentFormat() throws IOException {
    List<String> names = FormatFixtures.all().stream().map(d -> d.getFileName().toString()).toList();
    // the step an upgrade crosses: the version before this one (if any) and this one
    assertThat(names).contains("format-v" + CommandCodec.LOG_FORMAT_VERSION);
    if (CommandCodec.LOG_FORMAT_VERSION > 1) {
      assertThat(names).contains("format-v" + (CommandCodec.LOG_FORMAT_VERSION - 1));
    }
  }

  @Test
  void snapshotOfEveryFormat_readsEveryKeyValueAndRevision() throws IOException {
    for (Path fixture : FormatFixtures.all()) {
      Properties manifest = FormatFixtures.manifest(fixture);
      int partitions = Integer.parseInt(manifest.getProperty("partitions"));
      ShardSnapshot snapshot = ShardSnapshot.read(fixture.resolve(FormatFixtures.SNAPSHOT), partitions);

      assertThat(FormatFixtures.describe(snapshot.store())).as(fixture + " snapshot keys")
          .containsExactlyElementsOf(FormatFixtures.readLines(fixture.resolve(FormatFixtures.SNAPSHOT_STATE)));
      assertThat(snapshot.header().getIndex()).isEqualTo(Long.parseLong(manifest.getProperty("snapshot_index")));
      assertThat(snapshot.header().getRevision()).isEqualTo(Long.parseLong(manifest.getProperty("snapshot_revision")));
      assertThat(snapshot.header().getFormatVersion())
          .isEqualTo(Integer.parseInt(manifest.getProperty("snapshot_format_version")));
      assertThat(snapshot.sessions()).as(fixture + " sessions").isNotEmpty();
    }
  }

  @Test
  void logOfEveryFormat_replayedOnItsSnapshot_givesTheRecordedResultsAndState() throws IOException {
    for (Path fixture : FormatFixtures.all()) {
      Properties manifest = FormatFixtures.manifest(fixture);
      KvStateMachine machine = new KvStateMachine(Integer.parseInt(manifest.getProperty("partitions")), SessionConfig.DEFAULTS);
      // what a restart does: load the newest snapshot, replay the log behind it
      machine.loadSnapshot(fixture.resolve(FormatFixtures.SNAPSHOT));
      LogFixture log = new LogFixture(machine, Long.parseLong(manifest.getProperty("log_first_index")) - 1);
      List<String> results = new ArrayList<>();
      for (byte[] entry : FormatFixtures.logEntries(fixture)) {
        LogEntryResult result = log.applyBytes(entry);
        for (int c = 0; c < result.getResultsCount(); c++) {
          results.add(FormatFixtures.describe(log.index(), c, result.getResults(c)));
        }
      }

      assertThat(results).as(fixture + " results")
          .containsExactlyElementsOf(FormatFixtures.readLines(fixture.resolve(FormatFixtures.LOG_RESULTS)));
      assertThat(FormatFixtures.describe(machine.storeForTesting())).as(fixture + " state after the log")
          .containsExactlyElementsOf(FormatFixtures.readLines(fixture.resolve(FormatFixtures.FINAL_STATE)));
      assertThat(machine.revision()).isEqualTo(Long.parseLong(manifest.getProperty("final_revision")));
      assertThat(machine.sessionCount()).isEqualTo(Integer.parseInt(manifest.getProperty("final_sessions")));
    }
  }

  @Test
  void logEntryOfNewerFormat_refusedWithUpgradeMessage() {
    byte[] newer = LogEntry.newBuilder().setFormatVersion(CommandCodec.READABLE_LOG_FORMAT_VERSION + 1).build().toByteArray();
    assertThatThrownBy(() -> CommandCodec.decodeLogEntry(UnsafeByteOperations.unsafeWrap(newer)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("log entry format " + (CommandCodec.READABLE_LOG_FORMAT_VERSION + 1) + " is newer than this node's "
            + CommandCodec.READABLE_LOG_FORMAT_VERSION + "; upgrade this node");
  }

  @Test
  void snapshotOfNewerFormat_refusedWithUpgradeMessage() throws IOException {
    Path file = dir.resolve("snapshot.1_10");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("RKVSNAP1".getBytes(StandardCharsets.US_ASCII));
      SnapshotHeader.newBuilder().setFormatVersion(SnapshotFile.FORMAT_VERSION + 1).setIndex(10).build()
          .writeDelimitedTo(out);
    }
    assertThatThrownBy(() -> ShardSnapshot.read(file, 16))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("format version " + (SnapshotFile.FORMAT_VERSION + 1)
            + " is newer than this node's " + SnapshotFile.FORMAT_VERSION + "; upgrade this node");
  }
}
