package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ringkv.raft.shard.LogFixture.bytes;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.PutResult;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.WriteId;
import ringkv.api.snapshot.CorruptSnapshotException;

class ShardSnapshotTest {
  private static final int P = 32;

  @TempDir Path dir;

  private static PartitionedStore filledStore(int keys) {
    PartitionedStore store = new PartitionedStore(P);
    Random random = new Random(7);
    for (int i = 0; i < keys; i++) {
      byte[] value = new byte[random.nextInt(64)];
      random.nextBytes(value);
      store.put(i % P, bytes("key-" + i), com.google.protobuf.ByteString.copyFrom(value), i + 1);
    }
    return store;
  }

  private static ClientSessions sessions() {
    ClientSessions sessions = new ClientSessions(SessionConfig.DEFAULTS);
    sessions.record(WriteId.newBuilder().setClientId(bytes("c1")).setSequence(3).setFirstIncompleteSequence(2).build(),
        CommandResult.newBuilder().setRevision(9).setPut(PutResult.getDefaultInstance()).build(), 5_000, 9);
    return sessions;
  }

  private static SnapshotHeader header() {
    return SnapshotHeader.newBuilder().setTerm(2).setIndex(1_000).setPartitionCount(P).setLogTimeMillis(5_000).build();
  }

  @Test
  void roundTrip_keepsDigestKeysSessionsAndHeader() throws IOException {
    PartitionedStore store = filledStore(1_000);
    Path file = dir.resolve("snapshot.2_1000");
    var trailer = ShardSnapshot.write(file, header(), store, sessions(), new PartitionGates());
    assertThat(trailer.getKeyCount()).isEqualTo(1_000);

    ShardSnapshot read = ShardSnapshot.read(file, P);
    assertThat(read.store().digest()).isEqualTo(store.digest());
    assertThat(read.store().keyCount()).isEqualTo(1_000);
    assertThat(read.header().getIndex()).isEqualTo(1_000);
    assertThat(read.header().getLogTimeMillis()).isEqualTo(5_000);
    assertThat(read.sessions()).isEqualTo(sessions().toRecords());
    assertThat(Files.list(dir)).as("no temp file left behind").containsExactly(file);
  }

  @Test
  void capture_isThePointInTimeItWasTaken_whileTheStoreChangesBeforeTheFileIsWritten() throws IOException {
    PartitionedStore store = filledStore(1_000);
    long digestAtCapture = store.digest();
    ShardSnapshot.Capture capture = ShardSnapshot.capture(header(), store, sessions(), new PartitionGates());

    // what the apply thread does while the file is written in the background
    store.put(0, bytes("key-0"), bytes("overwritten"), 2_000);
    store.delete(1, bytes("key-1"));
    store.put(5, bytes("new-key"), bytes("added"), 2_001);
    assertThat(store.digest()).isNotEqualTo(digestAtCapture);

    Path file = dir.resolve("snapshot.2_1000");
    assertThat(capture.writeTo(file).getKeyCount()).isEqualTo(1_000);
    ShardSnapshot read = ShardSnapshot.read(file, P);
    assertThat(read.store().digest()).isEqualTo(digestAtCapture);
    assertThat(read.store().get(0, bytes("key-0")).value()).isNotEqualTo(bytes("overwritten"));
    assertThat(read.store().get(5, bytes("new-key"))).isNull();
  }

  @Test
  void flippedByte_isDetected_andTheErrorNamesTheFile() throws IOException {
    Path file = dir.resolve("snapshot.2_1000");
    ShardSnapshot.write(file, header(), filledStore(500), sessions(), new PartitionGates());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long middle = raf.length() / 2;
      raf.seek(middle);
      int b = raf.read();
      raf.seek(middle);
      raf.write(b ^ 0x01);
    }
    assertThatThrownBy(() -> ShardSnapshot.read(file, P))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aFlippedBitAnywhere_isReportedAsCorruption_neverAsAnotherError() throws IOException {
    Path file = dir.resolve("snapshot.2_1000");
    ShardSnapshot.write(file, header(), filledStore(200), sessions(), new PartitionGates());
    byte[] good = Files.readAllBytes(file);
    Path bad = dir.resolve("snapshot.2_1001");
    for (int offset = 0; offset < good.length; offset += 11) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] copy = good.clone();
        copy[offset] ^= (byte) bit;
        Files.write(bad, copy);
        int at = offset;
        assertThatThrownBy(() -> ShardSnapshot.read(bad, P)).as("bit %x flipped at offset %d", bit, at)
            .isInstanceOf(CorruptSnapshotException.class);
      }
    }
  }

  @Test
  void truncatedFile_isDetected() throws IOException {
    Path file = dir.resolve("snapshot.2_1000");
    ShardSnapshot.write(file, header(), filledStore(500), sessions(), new PartitionGates());
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 10));
    assertThatThrownBy(() -> ShardSnapshot.read(file, P)).isInstanceOf(CorruptSnapshotException.class);
  }

  @Test
  void otherFileOrPartitionCount_isRefused() throws IOException {
    Path garbage = dir.resolve("garbage");
    Files.writeString(garbage, "definitely not a snapshot");
    assertThatThrownBy(() -> ShardSnapshot.read(garbage, P)).hasMessageContaining("bad magic");

    Path file = dir.resolve("snapshot.2_1000");
    ShardSnapshot.write(file, header(), filledStore(10), sessions(), new PartitionGates());
    assertThatThrownBy(() -> ShardSnapshot.read(file, P * 2)).hasMessageContaining("partitions");
  }
}
