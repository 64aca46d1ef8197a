package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.BackupManifest;
import ringkv.client.KeyValue;
import ringkv.client.KvClient;
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.client.backup.BackupDirectory;
import ringkv.client.backup.ClusterBackup;
import ringkv.server.testing.MiniCluster;

/** A backup of a 3-shard cluster restored into a fresh 5-node cluster holds every key and value. */
class BackupRestoreIT {
  private static final int KEYS = 5_000;

  @Test
  void backupOf3Shards_restoredInto5Nodes_hasEqualDigest(@TempDir Path work) throws Exception {
    Path backup = work.resolve("backup");
    String sourceDigest;
    try (MiniCluster source = MiniCluster.builder().nodes(3).shards(3).partitions(128).start()) {
      KvClient client = source.newClient();
      for (int start = 0; start < KEYS; start += 500) {
        Map<ByteString, ByteString> batch = new LinkedHashMap<>();
        for (int i = start; i < start + 500; i++) {
          batch.put(ByteString.copyFromUtf8("user/" + i), ByteString.copyFromUtf8("value-" + i + "-" + "x".repeat(i % 50)));
        }
        assertThat(client.batchPut(batch).allOk()).isTrue();
      }
      client.delete(ByteString.copyFromUtf8("user/7"));
      sourceDigest = digest(client);

      BackupManifest manifest = ClusterBackup.backup(source.apiEndpoints(), backup, line -> { });
      assertThat(manifest.getShardsCount()).isEqualTo(3);
      assertThat(manifest.getShardsList().stream().mapToLong(s -> s.getKeyCount()).sum()).isEqualTo(KEYS - 1);
      assertThat(manifest.getClusterMap().getAssignmentCount()).isEqualTo(128);
    }
    assertThat(BackupDirectory.verify(backup).getShardsCount()).isEqualTo(3);

    try (MiniCluster target = MiniCluster.builder().nodes(5).shards(2).partitions(256).start()) {
      KvClient client = target.newClient();
      ClusterBackup.RestoreReport report = ClusterBackup.restore(client, backup, false, line -> { });
      assertThat(report.keys()).isEqualTo(KEYS - 1);
      assertThat(digest(client)).isEqualTo(sourceDigest);
      // a second restore into the now non-empty cluster is refused unless allowed
      assertThatThrownBy(() -> ClusterBackup.restore(client, backup, false, line -> { }))
          .hasMessageContaining("already holds keys");
    }
  }

  @Test
  void damagedBackupFile_isRefused_naming_theFile(@TempDir Path work) throws Exception {
    Path backup = work.resolve("backup");
    try (MiniCluster source = MiniCluster.builder().nodes(3).shards(1).start()) {
      KvClient client = source.newClient();
      for (int i = 0; i < 100; i++) {
        client.put(ByteString.copyFromUtf8("k" + i), ByteString.copyFromUtf8("v" + i));
      }
      ClusterBackup.backup(source.apiEndpoints(), backup, line -> { });
      assertThatThrownBy(() -> ClusterBackup.backup(source.apiEndpoints(), backup, line -> { }))
          .hasMessageContaining("not empty");
    }
    Path file = backup.resolve(BackupDirectory.shardFileName(0));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(Files.size(file) / 2);
      int b = raf.read();
      raf.seek(Files.size(file) / 2);
      raf.write(b ^ 1);
    }
    assertThatThrownBy(() -> BackupDirectory.verify(backup)).isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("SHA-256");
  }

  /** SHA-256 over every key and value, in key order, through a paginated scan of all shards. */
  static String digest(KvClient client) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Scan scan = Scan.range(ByteString.EMPTY, ByteString.EMPTY).withLimit(1_000);
    long count = 0;
    while (true) {
      ScanPage page = client.scan(scan);
      for (KeyValue kv : page.kvs()) {
        sha.update(kv.key().toByteArray());
        sha.update((byte) 0);
        sha.update(kv.value().toByteArray());
        sha.update((byte) 0);
        count++;
      }
      if (page.continuation().isEmpty()) {
        break;
      }
      scan = scan.after(page.continuation());
    }
    return count + ":" + HexFormat.of().formatHex(sha.digest());
  }
}
