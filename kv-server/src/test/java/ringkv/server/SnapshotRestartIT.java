package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import ringkv.client.KvClient;
import ringkv.raft.config.RaftTuning;
import ringkv.server.testing.MiniCluster;

/** Snapshots are taken automatically, survive a restart of every node, and the log replays on top. */
class SnapshotRestartIT {
  @Test
  void restartAllNodes_afterSnapshotsAndMoreWrites_stateIsSnapshotPlusLog() throws IOException {
    try (MiniCluster cluster = MiniCluster.builder().tuning(RaftTuning.DEFAULTS.withSnapshotAutoTriggerEntries(200)).start()) {
      KvClient client = cluster.newClient();
      IntStream.range(0, 600).forEach(i -> client.put(ByteString.copyFromUtf8("k" + i), ByteString.copyFromUtf8("v" + i)));
      cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
      long digestBefore = cluster.stateMachine(0, MiniCluster.FIRST_SHARD).stateDigest();
      for (int i = 0; i < cluster.size(); i++) {
        assertThat(snapshotFiles(cluster.config(i).dataDir())).as("node %d snapshots", i).isPositive();
      }

      for (int i = 0; i < cluster.size(); i++) {
        cluster.kill(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.restart(i);
      }
      cluster.awaitLeader(MiniCluster.FIRST_SHARD);
      cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
      assertThat(cluster.stateMachine(0, MiniCluster.FIRST_SHARD).stateDigest()).isEqualTo(digestBefore);
      KvClient after = cluster.newClient();
      IntStream.range(0, 600).forEach(i ->
          assertThat(after.get(ByteString.copyFromUtf8("k" + i)).kv().value().toStringUtf8()).isEqualTo("v" + i));
    }
  }

  private static long snapshotFiles(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).count();
    }
  }
}
