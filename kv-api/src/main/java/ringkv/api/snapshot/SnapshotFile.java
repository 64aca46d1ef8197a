package ringkv.api.snapshot;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import ringkv.api.v1.SnapshotEnd;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.SnapshotRecord;
import ringkv.api.v1.SnapshotTrailer;

/**
 * Reads and writes the snapshot file format described in {@code snapshot.proto}: magic, header,
 * records, end record, and a trailer holding the CRC32C of everything before it.
 *
 * <p>Writes are atomic: the file is written under a temporary name in the same directory,
 * fsync'd, renamed into place, and the directory is fsync'd, so a crash leaves either the old
 * state or the complete new file, never a torn one (at most a partly written file under
 * {@link #TEMP_PREFIX}, which nothing reads and {@link #deleteUnfinished} removes).
 */
public final class SnapshotFile {
  /** The format this version writes; {@link #read} accepts this one and older ones. */
  public static final int FORMAT_VERSION = 1;

  /** Prefix of the name a snapshot is written under until it is complete and renamed into place. */
  public static final String TEMP_PREFIX = ".tmp-";

  private static final byte[] MAGIC = "RKVSNAP1".getBytes(US_ASCII);

  private SnapshotFile() {}

  /** Receives the records of a snapshot being written, in order. */
  public interface RecordSink {
    void write(SnapshotRecord record) throws IOException;
  }

  /** Produces the body of a snapshot. */
  public interface Body {
    void writeTo(RecordSink sink) throws IOException;
  }

  /** Receives the records of a snapshot being read, in order (the end record excluded). */
  public interface RecordVisitor {
    void visit(SnapshotRecord record) throws IOException;
  }

  /**
   * Writes {@code header} and the records of {@code body} atomically to {@code target}. If anything
   * fails (a full disk, an error in {@code body}), the partly written file is deleted, so failed
   * attempts do not pile up; a crash can still leave one, which {@link #deleteUnfinished} removes.
   */
  public static SnapshotTrailer write(Path target, SnapshotHeader header, Body body)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(TEMP_PREFIX + target.getFileName());
    SnapshotTrailer trailer;
    try {
      trailer = writeComplete(temp, header, body);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    fsyncDirectory(dir);
    return trailer;
  }

  /** Writes the whole file to {@code temp} and fsyncs it. */
  private static SnapshotTrailer writeComplete(Path temp, SnapshotHeader header, Body body) throws IOException {
    CRC32C crc = new CRC32C();
    long[] counts = new long[2]; // records, keys
    SnapshotTrailer trailer;
    try (OutputStream file = Files.newOutputStream(temp);
        BufferedOutputStream buffered = new BufferedOutputStream(file, 1 << 16);
        CheckedOutputStream checked = new CheckedOutputStream(buffered, crc)) {
      checked.write(MAGIC);
      header.toBuilder().setFormatVersion(FORMAT_VERSION).build().writeDelimitedTo(checked);
      body.writeTo(
          record -> {
            record.writeDelimitedTo(checked);
            counts[0]++;
            if (record.hasKv()) {
              counts[1]++;
            }
          });
      SnapshotRecord.newBuilder().setEnd(SnapshotEnd.getDefaultInstance()).build().writeDelimitedTo(checked);
      checked.flush();
      trailer =
          SnapshotTrailer.newBuilder()
              .setRecordCount(counts[0])
              .setKeyCount(counts[1])
              .setCrc32C((int) crc.getValue())
              .build();
      trailer.writeDelimitedTo(buffered);
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    return trailer;
  }

  /**
   * Deletes the partly written files that a process killed in the middle of {@link #write} left in
   * {@code dir} (a snapshot of 100 MB leaves as much behind). Call it only when nothing writes into
   * {@code dir}, e.g. when a replica starts.
   *
   * @return the files deleted
   */
  public static List<Path> deleteUnfinished(Path dir) throws IOException {
    List<Path> deleted = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return deleted;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path file : files) {
        if (Files.deleteIfExists(file)) {
          deleted.add(file);
        }
      }
    }
    return deleted;
  }

  /**
   * Reads {@code file}, passing each record to {@code visitor}, and verifies the checksum at the
   * end. The visitor must treat what it received as invalid if this throws.
   */
  public static SnapshotHeader read(Path file, RecordVisitor visitor) throws IOException {
    return readAll(file, visitor).header();
  }

  /** What a verified snapshot file holds, without its records. */
  public record Summary(SnapshotHeader header, SnapshotTrailer trailer) {
    public long keyCount() {
      return trailer.getKeyCount();
    }
  }

  /** Reads the whole file and checks its checksum; throws {@link CorruptSnapshotException} if bad. */
  public static Summary verify(Path file) throws IOException {
    return readAll(file, record -> { });
  }

  private static Summary readAll(Path file, RecordVisitor visitor) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        CheckedInputStream checked = new CheckedInputStream(in, crc)) {
      byte[] magic = checked.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CorruptSnapshotException(file, "not a RingKV snapshot (bad magic)");
      }
      SnapshotHeader header = parse(file, () -> SnapshotHeader.parseDelimitedFrom(checked));
      if (header.getFormatVersion() > FORMAT_VERSION) {
        // a newer node wrote it (or sent it in an InstallSnapshot): reading it half would lose data
        throw new CorruptSnapshotException(file, "format version " + header.getFormatVersion()
            + " is newer than this node's " + FORMAT_VERSION + "; upgrade this node");
      }
      if (header.getFormatVersion() < 1) {
        throw new CorruptSnapshotException(
            file, "format version " + header.getFormatVersion() + " is not supported by this node");
      }
      long records = 0;
      while (true) {
        SnapshotRecord record = parse(file, () -> SnapshotRecord.parseDelimitedFrom(checked));
        if (record.hasEnd()) {
          break;
        }
        try {
          visitor.visit(record);
        } catch (RuntimeException e) {
          // a record that parses but makes no sense (a flipped bit in a counter): as corrupt as a bad checksum
          throw new CorruptSnapshotException(file, "record " + records + " is invalid: " + e.getMessage());
        }
        records++;
      }
      int expectedCrc = (int) crc.getValue();
      SnapshotTrailer trailer = parse(file, () -> SnapshotTrailer.parseDelimitedFrom(in));
      if (trailer.getCrc32C() != expectedCrc) {
        throw new CorruptSnapshotException(
            file,
            String.format(
                "checksum mismatch (stored crc32c %08x, computed %08x)", trailer.getCrc32C(), expectedCrc));
      }
      if (trailer.getRecordCount() != records) {
        throw new CorruptSnapshotException(
            file, "record count mismatch (trailer " + trailer.getRecordCount() + ", read " + records + ")");
      }
      return new Summary(header, trailer);
    }
  }

  private interface Parser<T> {
    T parse() throws IOException;
  }

  private static <T> T parse(Path file, Parser<T> parser) throws IOException {
    T value;
    try {
      value = parser.parse();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new CorruptSnapshotException(file, "unreadable record: " + e.getMessage());
    }
    if (value == null) {
      throw new CorruptSnapshotException(file, "truncated");
    }
    return value;
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
