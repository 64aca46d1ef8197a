package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.client.KeyValue;
import ringkv.client.KvClient;
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.server.testing.ProcessCluster;

/**
 * A replica killed (SIGKILL) while its background snapshot file is half written: the file is a
 * {@code .tmp-} file, never taken for a snapshot; the restarted node deletes it, recovers from
 * the previous snapshot plus its log, and converges with the others; no acknowledged write is
 * lost. The kill lands mid-write by construction: the test freezes the node (SIGSTOP) the moment
 * the temporary file appears, checks it is still there, and only then kills it.
 */
class KillDuringSnapshotWriteIT {
  private static final int KEYS_PER_ROUND = 8_000;
  private static final int BATCH = 100;
  private static final String PREFIX = "snapkill/";
  private static final int ATTEMPTS = 5;
  private static final String VALUE_PAD = "v".repeat(1_000);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void replicaKilledMidSnapshotWrite_deletesTheHalfFile_andRecoversEveryWrite() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.builder(root).nodes(3).shards(1).replication(3).start()) {
      try {
        KvClient client = cluster.newClient();
        int leader = cluster.leaderOf(0).orElseThrow(() -> new AssertionError("shard 0 has no leader"));
        int victim = (leader + 1) % cluster.size();
        int written = 0;
        Path halfWritten = null;
        ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(leader), InsecureChannelCredentials.create()).build();
        try {
          // a complete snapshot first, so that the victim has one to recover from
          written = writeKeys(client, written, written + 1_000);
          AdminGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES)
              .takeSnapshot(TakeSnapshotRequest.newBuilder().setShardId(0).build());
          // about 8 MB per round, so that writing the file takes long enough to be caught at it;
          // a round whose file completed before the freeze is simply followed by another
          for (int attempt = 1; attempt <= ATTEMPTS && halfWritten == null; attempt++) {
            written = writeKeys(client, written, written + KEYS_PER_ROUND);
            AdminGrpc.newFutureStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES)
                .takeSnapshot(TakeSnapshotRequest.newBuilder().setShardId(0).build());
            Optional<Path> temp = awaitTempFile(cluster.node(victim).dataDir(), Duration.ofSeconds(20));
            if (temp.isEmpty()) {
              continue;
            }
            cluster.pauseNode(victim);
            if (Files.exists(temp.get())) {
              halfWritten = temp.get();
              cluster.killNode(victim);
            } else {
              cluster.resumeNode(victim);
            }
          }
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(halfWritten).as("a snapshot file caught half written in %d attempts", ATTEMPTS).isNotNull();
        System.out.printf("KillDuringSnapshotWriteIT: killed n%d with %s half written, after %d keys%n",
            victim + 1, halfWritten.getFileName(), written);
        assertThat(halfWritten).exists();

        // the other two replicas go on acknowledging writes meanwhile
        written = writeKeys(client, written, written + 1_000);
        cluster.restartNode(victim);
        cluster.awaitReady(Duration.ofSeconds(120));
        assertThat(halfWritten).as("the half-written file, after the restart").doesNotExist();
        String log = cluster.node(victim).tail(100_000);
        String afterRestart = log.substring(Math.max(0, log.lastIndexOf("start #2")));
        assertThat(afterRestart)
            .contains("deleted a snapshot file left unfinished by a crash: " + halfWritten)
            .containsPattern("snapshot loaded group=\\S+ index=\\d+"); // the previous, complete one
        try (Stream<Path> files = Files.walk(cluster.node(victim).dataDir())) {
          for (Path snapshot : files.filter(KillDuringSnapshotWriteIT::isSnapshotFile).toList()) {
            SnapshotFile.verify(snapshot); // every complete file the node kept reads back whole
          }
        }

        // every replica holds the same state (digests), and it holds every acknowledged write
        cluster.awaitConverged(Duration.ofSeconds(120));
        Map<ByteString, ByteString> stored = scanAll(client);
        assertThat(stored).hasSize(written);
        for (int i = 0; i < written; i++) {
          assertThat(stored.get(key(i))).as("key %d", i).isEqualTo(value(i));
        }
      } catch (Throwable t) {
        cluster.attachLogs(t);
        throw t;
      }
    }
  }

  /** Puts keys [from, to) in batches; returns {@code to}. */
  private static int writeKeys(KvClient client, int from, int to) {
    for (int start = from; start < to; start += BATCH) {
      Map<ByteString, ByteString> batch = new LinkedHashMap<>();
      for (int i = start; i < Math.min(start + BATCH, to); i++) {
        batch.put(key(i), value(i));
      }
      assertThat(client.batchPut(batch).allOk()).as("batch at %d", start).isTrue();
    }
    return to;
  }

  /** Every key the test wrote, with its value, read linearizably page by page. */
  private static Map<ByteString, ByteString> scanAll(KvClient client) {
    Map<ByteString, ByteString> stored = new LinkedHashMap<>();
    Scan scan = Scan.prefix(ByteString.copyFromUtf8(PREFIX)).withLimit(5_000);
    ScanPage page;
    do {
      page = client.scan(scan);
      for (KeyValue kv : page.kvs()) {
        stored.put(kv.key(), kv.value());
      }
      scan = scan.after(page.continuation());
    } while (page.hasMore());
    return stored;
  }

  /**
   * Polls the node's data directory for a snapshot being written (a {@code .tmp-snapshot.*} file).
   * Without a pause between looks: an 8 MB file is written in about 70 ms here, and a sleeping
   * poll would miss most of that window. It spins only until the file appears (well under a
   * second after the snapshot request) or for {@code timeout} if it never does.
   */
  private static Optional<Path> awaitTempFile(Path dataDir, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        List<Path> temp = files.filter(p -> p.getFileName().toString().startsWith(SnapshotFile.TEMP_PREFIX + "snapshot.")).toList();
        if (!temp.isEmpty()) {
          return Optional.of(temp.get(0));
        }
      } catch (IOException | UncheckedIOException e) {
        // a file renamed or deleted while walking: look again
      }
      Thread.onSpinWait();
    }
    return Optional.empty();
  }

  private static boolean isSnapshotFile(Path path) {
    return path.getFileName().toString().matches("snapshot\\.\\d+_\\d+") && path.toString().contains("/sm/");
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8(String.format(PREFIX + "%08d", i));
  }

  private static ByteString value(int i) {
    return ByteString.copyFrom(i + VALUE_PAD, StandardCharsets.UTF_8);
  }
}
