package ringkv.client.backup;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.BackupManifest;
import ringkv.api.v1.ShardBackupFile;

/**
 * The layout of a backup directory: {@code manifest.json} plus one snapshot file per shard
 * ({@code shard-<id>.snap}), and the checks that a directory is complete and undamaged.
 */
public final class BackupDirectory {
  public static final String MANIFEST = "manifest.json";
  /** The manifest format this version writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private BackupDirectory() {}

  public static String shardFileName(int shardId) {
    return "shard-" + shardId + ".snap";
  }

  /** Writes the manifest last and atomically: a directory with a manifest is a finished backup. */
  static void writeManifest(Path dir, BackupManifest manifest) throws IOException {
    Path temp = dir.resolve(MANIFEST + ".tmp");
    Files.writeString(temp, JsonFormat.printer().print(manifest) + "\n", StandardCharsets.UTF_8);
    fsync(temp);
    Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsync(dir);
  }

  /**
   * Reads the manifest and checks every shard file against it (size, SHA-256, and the file's
   * own CRC32C and structure).
   *
   * @throws IOException naming the file and the problem if anything does not match
   */
  public static BackupManifest verify(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException(dir + " is not a RingKV backup (no " + MANIFEST + "; an unfinished backup has none)");
    }
    BackupManifest.Builder manifest = BackupManifest.newBuilder();
    try {
      JsonFormat.parser().merge(Files.readString(manifestFile, StandardCharsets.UTF_8), manifest);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(manifestFile + " is not a valid manifest: " + e.getMessage(), e);
    }
    if (manifest.getFormatVersion() < 1 || manifest.getFormatVersion() > FORMAT_VERSION) {
      throw new IOException(manifestFile + " has format version " + manifest.getFormatVersion()
          + "; this kvctl reads 1.." + FORMAT_VERSION);
    }
    for (ShardBackupFile shard : manifest.getShardsList()) {
      Path file = dir.resolve(shard.getFile());
      if (!Files.isRegularFile(file)) {
        throw new IOException("backup file " + file + " of shard " + shard.getShardId() + " is missing");
      }
      if (Files.size(file) != shard.getSizeBytes()) {
        throw new IOException("backup file " + file + " has " + Files.size(file) + " bytes, the manifest says " + shard.getSizeBytes());
      }
      String sha = sha256(file);
      if (!sha.equals(shard.getSha256())) {
        throw new IOException("backup file " + file + " has SHA-256 " + sha + ", the manifest says " + shard.getSha256());
      }
      SnapshotFile.Summary summary = SnapshotFile.verify(file);
      if (summary.trailer().getCrc32C() != shard.getCrc32C() || summary.header().getIndex() != shard.getIndex()) {
        throw new IOException("backup file " + file + " does not match its manifest entry (crc32c or index differ)");
      }
    }
    return manifest.build();
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static void fsync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
