package ringkv.raft.shard;

import static ringkv.raft.shard.LogFixture.bytes;
import static ringkv.raft.shard.LogFixture.delete;
import static ringkv.raft.shard.LogFixture.put;
import static ringkv.raft.shard.LogFixture.withWriteId;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.Command;
import ringkv.api.v1.Compare;
import ringkv.api.v1.DeleteRangeOp;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.TxnCompare;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnStep;
import ringkv.raft.codec.CommandCodec;

/**
 * Writes the format fixture of the current code: a shard's state machine applies a fixed list of
 * commands (puts, overwrites, deletes, a transaction, a range delete, group-committed entries,
 * exactly-once sessions), its state is written as a snapshot, more commands follow as log
 * entries (one of them a retried write, answered from the session table), and what this version
 * made of all that is written next to them as text.
 *
 * <p>Run once per format version, before a release changes a format, and check the directory in;
 * never regenerate a released version's fixture (it stands for files written by that release):
 *
 * <pre>
 * ./mvnw -q -o -pl kv-raft test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * (cd kv-raft &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     ringkv.raft.shard.FormatFixtureWriter)
 * </pre>
 *
 * It writes {@code src/test/resources/fixtures/format-v<log format>/} and refuses to overwrite it.
 */
final class FormatFixtureWriter {
  static final int PARTITIONS = 16;
  private static final String CLIENT = "fixture-client";

  private FormatFixtureWriter() {}

  public static void main(String[] args) throws IOException {
    if (CommandCodec.LOG_FORMAT_VERSION != SnapshotFile.FORMAT_VERSION) {
      // one directory per step; name it after both when they differ
      throw new IllegalStateException("log format " + CommandCodec.LOG_FORMAT_VERSION + " and snapshot format "
          + SnapshotFile.FORMAT_VERSION + " differ: choose the fixture directory's name by hand");
    }
    Path dir = FormatFixtures.ROOT.resolve("format-v" + CommandCodec.LOG_FORMAT_VERSION);
    if (Files.exists(dir)) {
      throw new IllegalStateException(dir + " exists: a released format's fixture is never rewritten");
    }
    Files.createDirectories(dir);
    write(dir);
    ringkv.raft.meta.MetaFixtureWriter.write(dir);
    System.out.println("wrote " + dir.toAbsolutePath());
  }

  static void write(Path dir) throws IOException {
    KvStateMachine machine = new KvStateMachine(PARTITIONS, SessionConfig.DEFAULTS);
    LogFixture log = new LogFixture(machine);
    long clock = 1_700_000_000_000L;
    for (int i = 0; i < 12; i++) {
      log.apply(clock += 10, put(i % PARTITIONS, key(i), "value-" + i + "-a"));
    }
    // group commit: one entry, three commands, three revisions
    log.apply(clock += 10, put(3, key(3), "value-3-b"), delete(5, key(5)), put(12, key(12), "value-12-a"));
    log.apply(clock += 10, withWriteId(put(7, key(7), "value-7-b"), CLIENT, 1, 1));
    log.apply(clock += 10, withWriteId(Command.newBuilder().setTxn(TxnOp.newBuilder()
        .addCompares(TxnCompare.newBuilder().setPartition(8).setCompare(Compare.newBuilder()
            .setKey(bytes(key(8))).setTarget(Compare.CompareTarget.VALUE).setValue(bytes("value-8-a"))))
        .addSuccess(TxnStep.newBuilder().setPut(put(8, key(8), "value-8-txn").getPut()))
        .addSuccess(TxnStep.newBuilder().setDelete(delete(9, key(9)).getDelete()))
        .addFailure(TxnStep.newBuilder().setPut(put(10, key(10), "never").getPut()))).build(), CLIENT, 2, 1));
    log.apply(clock += 10, Command.newBuilder().setDeleteRange(DeleteRangeOp.newBuilder()
        .setStart(bytes(key(10))).setEnd(bytes(key(11)))).build());

    SnapshotHeader header = SnapshotHeader.newBuilder().setTerm(1).setIndex(log.index()).setPartitionCount(PARTITIONS)
        .setCreatedAtMillis(clock).setLogTimeMillis(clock).setRevision(machine.revision()).build();
    ShardSnapshot.write(dir.resolve(FormatFixtures.SNAPSHOT), header, machine.storeForTesting(), machine.sessionsForTesting(),
        new PartitionGates());
    Files.write(dir.resolve(FormatFixtures.SNAPSHOT_STATE), withComment(
        "# state in " + FormatFixtures.SNAPSHOT + ": partition, key, value, create revision, mod revision, version",
        FormatFixtures.describe(machine.storeForTesting())));

    // the log after the snapshot, as a restart replays it
    List<LogEntry> entries = new ArrayList<>();
    entries.add(entry(clock += 10, put(0, key(0), "value-0-b"), put(13, key(13), "value-13-a")));
    // a retry of sequence 1: answered from the session table, not applied again
    entries.add(entry(clock += 10, withWriteId(put(7, key(7), "value-7-b"), CLIENT, 1, 1)));
    entries.add(entry(clock += 10, withWriteId(delete(4, key(4)), CLIENT, 3, 2)));
    entries.add(entry(clock += 10, put(14, key(14), "value-14-a"), put(3, key(3), "value-3-c")));
    long firstIndex = log.index() + 1;
    List<String> results = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(dir.resolve(FormatFixtures.LOG))) {
      for (LogEntry entry : entries) {
        entry.writeDelimitedTo(out);
        LogEntryResult result = log.applyRaw(entry);
        for (int c = 0; c < result.getResultsCount(); c++) {
          results.add(FormatFixtures.describe(log.index(), c, result.getResults(c)));
        }
      }
    }
    Files.write(dir.resolve(FormatFixtures.LOG_RESULTS), withComment(
        "# results of " + FormatFixtures.LOG + " replayed on the snapshot: log index, command, revision, outcome", results));
    Files.write(dir.resolve(FormatFixtures.FINAL_STATE), withComment(
        "# state after the log: partition, key, value, create revision, mod revision, version",
        FormatFixtures.describe(machine.storeForTesting())));

    Properties manifest = new Properties();
    manifest.setProperty("log_format_version", String.valueOf(CommandCodec.LOG_FORMAT_VERSION));
    manifest.setProperty("snapshot_format_version", String.valueOf(SnapshotFile.FORMAT_VERSION));
    manifest.setProperty("partitions", String.valueOf(PARTITIONS));
    manifest.setProperty("snapshot_index", String.valueOf(header.getIndex()));
    manifest.setProperty("snapshot_revision", String.valueOf(header.getRevision()));
    manifest.setProperty("log_first_index", String.valueOf(firstIndex));
    manifest.setProperty("final_revision", String.valueOf(machine.revision()));
    manifest.setProperty("final_sessions", String.valueOf(machine.sessionCount()));
    try (OutputStream out = Files.newOutputStream(dir.resolve(FormatFixtures.MANIFEST))) {
      manifest.store(out, "written by FormatFixtureWriter; see its Javadoc");
    }
  }

  private static String key(int i) {
    return String.format("fixture/k%02d", i);
  }

  private static LogEntry entry(long atMillis, Command... commands) {
    return LogEntry.newBuilder().setFormatVersion(CommandCodec.LOG_FORMAT_VERSION).setProposedAtMillis(atMillis)
        .addAllCommands(List.of(commands)).build();
  }

  private static List<String> withComment(String comment, List<String> lines) {
    List<String> all = new ArrayList<>();
    all.add(comment);
    all.addAll(lines);
    return all;
  }
}
