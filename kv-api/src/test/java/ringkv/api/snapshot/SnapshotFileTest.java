package ringkv.api.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.SnapshotRecord;

class SnapshotFileTest {
  @TempDir Path dir;

  private static SnapshotHeader header(long index) {
    return SnapshotHeader.newBuilder().setTerm(1).setIndex(index).build();
  }

  private static SnapshotRecord kv(String key) {
    return SnapshotRecord.newBuilder()
        .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("v-" + key)))
        .build();
  }

  private static List<String> keysIn(Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    SnapshotFile.read(file, record -> keys.add(record.getKv().getKey().toStringUtf8()));
    return keys;
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void a_written_file_reads_back_with_its_records_and_counts() throws IOException {
    Path file = dir.resolve("snapshot.1_10");
    SnapshotFile.write(file, header(10), sink -> {
      sink.write(kv("a"));
      sink.write(kv("b"));
    });

    assertThat(keysIn(file)).containsExactly("a", "b");
    assertThat(SnapshotFile.verify(file).keyCount()).isEqualTo(2);
    assertThat(filesInDir()).containsExactly(file);
  }

  @Test
  void a_write_that_fails_halfway_deletes_its_partial_file_and_leaves_the_previous_one() throws IOException {
    Path file = dir.resolve("snapshot.1_10");
    SnapshotFile.write(file, header(10), sink -> sink.write(kv("old")));

    // records already went to disk (the 64 KiB buffer overflows) when the body fails, as on a full disk
    assertThatThrownBy(() -> SnapshotFile.write(file, header(20), sink -> {
      for (int i = 0; i < 10_000; i++) {
        sink.write(kv("new-" + i));
      }
      throw new IOException("No space left on device");
    })).isInstanceOf(IOException.class).hasMessage("No space left on device");

    assertThat(filesInDir()).containsExactly(file);
    assertThat(keysIn(file)).containsExactly("old");
  }

  @Test
  void unfinished_files_a_crash_left_are_deleted_and_complete_ones_kept() throws IOException {
    Path complete = dir.resolve("snapshot.1_10");
    SnapshotFile.write(complete, header(10), sink -> sink.write(kv("a")));
    Path unfinished = dir.resolve(SnapshotFile.TEMP_PREFIX + "snapshot.1_20");
    Files.write(unfinished, new byte[4096]);

    assertThat(SnapshotFile.deleteUnfinished(dir)).containsExactly(unfinished);

    assertThat(filesInDir()).containsExactly(complete);
    assertThat(keysIn(complete)).containsExactly("a");
    assertThat(SnapshotFile.deleteUnfinished(dir.resolve("absent"))).isEmpty();
  }
}
