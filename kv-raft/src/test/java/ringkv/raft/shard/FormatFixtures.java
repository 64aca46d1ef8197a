package ringkv.raft.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.LogEntry;

/**
 * The checked-in format fixtures under {@code src/test/resources/fixtures/format-v<N>/}: files a
 * given version wrote (a shard snapshot and the log entries that follow it) with what that version
 * read from them, as text. {@link FormatFixtureWriter} writes them; {@code FormatCompatibilityTest}
 * checks that the current code reads every one of them the same way.
 */
final class FormatFixtures {
  static final Path ROOT = Path.of("src", "test", "resources", "fixtures");
  static final String SNAPSHOT = "shard-snapshot.bin";
  static final String LOG = "shard-log.bin";
  static final String SNAPSHOT_STATE = "snapshot-state.tsv";
  static final String FINAL_STATE = "final-state.tsv";
  static final String LOG_RESULTS = "log-results.tsv";
  static final String MANIFEST = "manifest.properties";

  private FormatFixtures() {}

  /** Every fixture directory, oldest format first. */
  static List<Path> all() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(d -> d.getFileName().toString().matches("format-v\\d+")).sorted().toList();
    }
  }

  static Properties manifest(Path dir) throws IOException {
    Properties manifest = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(MANIFEST))) {
      manifest.load(in);
    }
    return manifest;
  }

  /** The log entries of {@link #LOG}: length-delimited {@link LogEntry} messages, as raw bytes. */
  static List<byte[]> logEntries(Path dir) throws IOException {
    List<byte[]> entries = new ArrayList<>();
    try (InputStream in = Files.newInputStream(dir.resolve(LOG))) {
      LogEntry entry;
      while ((entry = LogEntry.parseDelimitedFrom(in)) != null) {
        entries.add(entry.toByteArray());
      }
    }
    return entries;
  }

  /** Every key of {@code store}, one line each: partition, key, value, create and mod revision, version. */
  static List<String> describe(PartitionedStore store) {
    List<String> lines = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      for (Map.Entry<com.google.protobuf.ByteString, StoredValue> e : store.partition(p).entrySet()) {
        StoredValue v = e.getValue();
        lines.add(p + "\t" + e.getKey().toStringUtf8() + "\t" + v.value().toStringUtf8() + "\t" + v.createRevision() + "\t"
            + v.modRevision() + "\t" + v.version());
      }
    }
    return lines;
  }

  /** One command's result: the entry's log index, the command's position, revision and outcome. */
  static String describe(long index, int command, CommandResult result) {
    String outcome = switch (result.getOutcomeCase()) {
      case PUT -> "put prev=" + (result.getPut().hasPrevKv() ? result.getPut().getPrevKv().getValue().toStringUtf8() : "-");
      case DELETE -> "delete deleted=" + result.getDelete().getDeleted();
      case TXN -> "txn succeeded=" + result.getTxn().getSucceeded() + " steps=" + result.getTxn().getResultsCount();
      case DELETE_RANGE -> "delete_range deleted=" + result.getDeleteRange().getDeleted();
      case REJECTED -> "rejected " + result.getRejected().getReason();
      case MIGRATION -> "migration applied=" + result.getMigration().getApplied();
      case OUTCOME_NOT_SET -> "none";
    };
    return index + "\t" + command + "\t" + result.getRevision() + "\t" + outcome;
  }

  static List<String> readLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }
}
