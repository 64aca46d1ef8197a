package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvClient;
import ringkv.client.KvOverloadedException;
import ringkv.server.config.RequestLimits;
import ringkv.server.testing.MiniCluster;

/**
 * A real full disk: every node's data dir is its own small tmpfs, and the shard leader's is
 * filled up. Writes are refused with RESOURCE_EXHAUSTED (whether they arrive at the leader or are
 * forwarded to it), reads go on, writes resume when space returns, and the log is intact after a
 * restart.
 *
 * <p>Mounting needs root (CAP_SYS_ADMIN). Where the test cannot mount, it is skipped with the
 * reason; the CI machine runs as root (docs/testing.md).
 */
class DiskFullIT {
  private static final long DISK = 96L << 20;
  private static final long RESERVE = 24L << 20;
  private final List<Path> mounts = new ArrayList<>();

  @Test
  void leaderWithAFullDisk_refusesWrites_servesReads_andRecoversWhenSpaceReturns() throws Exception {
    Path root = Files.createTempDirectory("diskfull");
    for (int i = 1; i <= 3; i++) {
      mountTmpfs(root.resolve("n" + i));
    }
    try (MiniCluster cluster = MiniCluster.builder().dataRoot(root)
        .limits(RequestLimits.DEFAULTS.withMinFreeDiskBytes(RESERVE)).start()) {
      KvClient client = cluster.newClient();
      IntStream.range(0, 100).forEach(i -> client.put(key(i), ByteString.copyFromUtf8("v" + i)));
      int leader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
      int follower = (leader + 1) % cluster.size();
      Path filler = cluster.config(leader).dataDir().resolve("filler");
      fillUntilBelowReserve(cluster.node(leader).diskGuard(), filler);

      // forwarded from a follower's node: the leader refuses before appending
      KvClient viaFollower = cluster.newClient(List.of(cluster.apiEndpoint(follower)));
      KvOverloadedException forwarded = catchThrowableOfType(KvOverloadedException.class,
          () -> viaFollower.put(key(1000), ByteString.copyFromUtf8("x")));
      assertThat(forwarded.reason()).isEqualTo(ErrorReason.DISK_FULL);
      assertThat(forwarded.getMessage()).contains("disk full").contains("min-free-disk");
      // sent to the full node itself: refused where it enters
      KvClient viaLeader = cluster.newClient(List.of(cluster.apiEndpoint(leader)));
      KvOverloadedException direct = catchThrowableOfType(KvOverloadedException.class,
          () -> viaLeader.put(key(1001), ByteString.copyFromUtf8("x")));
      assertThat(direct.reason()).isEqualTo(ErrorReason.DISK_FULL);
      // nothing was applied, and reads still work on every node
      assertThat(viaFollower.get(key(1000)).found()).isFalse();
      assertThat(viaLeader.get(key(7)).kv().value().toStringUtf8()).isEqualTo("v7");

      Files.delete(filler);
      MiniCluster.await("writes accepted again", Duration.ofSeconds(30), () -> {
        try {
          viaFollower.put(key(1000), ByteString.copyFromUtf8("after"));
          return true;
        } catch (KvOverloadedException e) {
          return false;
        }
      });
      assertThat(viaLeader.get(key(1000)).kv().value().toStringUtf8()).isEqualTo("after");

      // the full disk left the leader's log intact: it restarts and agrees with the others
      cluster.kill(leader);
      cluster.restart(leader);
      cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
      assertThat(cluster.stateMachine(leader, MiniCluster.FIRST_SHARD).keyCount()).isEqualTo(101);
    }
  }

  private static void fillUntilBelowReserve(DiskSpaceGuard guard, Path filler) throws IOException {
    long free = Files.getFileStore(filler.getParent()).getUsableSpace();
    try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
      // tmpfs allocates on write, so write real bytes rather than setLength
      byte[] chunk = new byte[1 << 20];
      long target = free - RESERVE / 2;
      for (long written = 0; written < target; written += chunk.length) {
        file.write(chunk);
      }
      file.getFD().sync();
    }
    MiniCluster.await("the guard to see the full disk", Duration.ofSeconds(10), () -> guard.refusal() != null);
  }

  private void mountTmpfs(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + DISK, "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes());
    boolean ok = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(ok, "cannot mount a tmpfs here (needs root): " + output.trim());
    mounts.add(dir);
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path dir : mounts) {
      new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8("disk-" + i);
  }
}
