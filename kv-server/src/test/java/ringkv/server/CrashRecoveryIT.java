package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.Consistency;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.server.testing.ProcessCluster;

/**
 * Durability: real {@code kv-server} processes are killed with SIGKILL in the middle of a write
 * load and restarted; every write the client saw acknowledged is then readable with its value.
 *
 * <p>The load ({@link AcknowledgedWriteLoad}) puts new keys and overwrites recent ones from
 * several threads. A write whose outcome is unknown (it failed when the nodes died) may or may
 * not be there afterwards; every acknowledged one must be, unless that unknown later write of
 * the same key replaced it. Snapshots are taken every 500 entries, so recovery loads a snapshot
 * and replays the log behind it, and a snapshot may be in progress at the kill. Data and logs
 * stay under the temp directory when a test fails.
 */
class CrashRecoveryIT {
  private static final int WRITERS = 32;
  private static final int VALUE_BYTES = 100;
  private static final Duration LOAD_WAIT = Duration.ofSeconds(90);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  private final long seed = Long.getLong("ringkv.crash.seed", System.nanoTime());

  private ProcessCluster startCluster() {
    return ProcessCluster.builder(root).nodes(3).shards(3).replication(3).snapshotEveryEntries(500).start();
  }

  /**
   * A writer whose calls give up {@code callTimeout} after the nodes die, so that the load stops
   * promptly; long enough to ride out a leader election when only one node dies.
   */
  private static KvClient writer(ProcessCluster cluster, Duration callTimeout) {
    return cluster.newClient(cluster.clientConfig().callTimeout(callTimeout).attemptTimeout(Duration.ofSeconds(2)).build());
  }

  private static AcknowledgedWriteLoad.Reader linearizable(KvClient client) {
    return key -> {
      GetResult result = client.get(key);
      return result.found() ? Optional.of(result.kv().value()) : Optional.empty();
    };
  }

  @Test
  void killAllNodes_duringWriteLoad_everyAcknowledgedWriteIsReadableAfterRestart() throws Exception {
    Phases phases = new Phases();
    try (ProcessCluster cluster = startCluster()) {
      try {
        phases.mark("start");
        AcknowledgedWriteLoad load = new AcknowledgedWriteLoad(writer(cluster, Duration.ofSeconds(5)), WRITERS, seed, VALUE_BYTES);
        load.start();
        load.awaitAcknowledged(3_000, LOAD_WAIT);
        phases.mark("load");

        cluster.killAll();
        long acknowledgedAtKill = load.acknowledged();
        load.stop(Duration.ofSeconds(30));
        phases.mark("kill");
        // writes were in flight when the nodes died: those can only fail now
        assertThat(load.unacknowledged()).as("writes cut off by the kill").isPositive();

        cluster.restartAll();
        cluster.awaitReady(Duration.ofSeconds(90));
        phases.mark("restart");
        AcknowledgedWriteLoad.Verification result = load.verify(linearizable(cluster.newClient()), 16);
        phases.mark("verify");
        report("kill all", load, acknowledgedAtKill, result, phases);
        assertThat(load.acknowledged()).as("acknowledged writes (seed %d)", seed).isGreaterThan(1_000);
        assertNoViolations("linearizable reads after restarting every node", result);

        KvClient after = cluster.newClient();
        after.put(ByteString.copyFromUtf8("crash/after"), ByteString.copyFromUtf8("writable"));
        assertThat(after.get(ByteString.copyFromUtf8("crash/after")).kv().value().toStringUtf8()).isEqualTo("writable");

        // every replica recovered the same data, not only the ones that lead now
        awaitCaughtUpOrAbort(cluster);
        for (int i = 0; i < cluster.size(); i++) {
          assertNoViolations("local reads on n" + (i + 1), verifyLocally(cluster, i, load));
        }
      } catch (Throwable t) {
        cluster.attachLogs(t);
        throw t;
      }
    }
  }

  @Test
  void killShardLeader_duringWriteLoad_othersServeAndRestartedNodeHoldsEveryAcknowledgedWrite() throws Exception {
    Phases phases = new Phases();
    try (ProcessCluster cluster = startCluster()) {
      try {
        phases.mark("start");
        AcknowledgedWriteLoad load = new AcknowledgedWriteLoad(writer(cluster, Duration.ofSeconds(10)), WRITERS, seed, VALUE_BYTES);
        load.start();
        load.awaitAcknowledged(1_500, LOAD_WAIT);
        phases.mark("load");

        int victim = cluster.leaderOf(0).orElseThrow(() -> new AssertionError("shard 0 has no leader"));
        cluster.killNode(victim);
        long acknowledgedAtKill = load.acknowledged();
        // two of three replicas elect new leaders and go on acknowledging writes
        load.awaitAcknowledged(acknowledgedAtKill + 500, LOAD_WAIT);
        phases.mark("loadWithNodeDown");
        cluster.restartNode(victim);
        cluster.awaitReady(Duration.ofSeconds(90));
        phases.mark("restart");
        load.awaitAcknowledged(load.acknowledged() + 300, LOAD_WAIT);
        load.stop(Duration.ofSeconds(30));
        phases.mark("loadAfterRestart");

        AcknowledgedWriteLoad.Verification result = load.verify(linearizable(cluster.newClient()), 16);
        phases.mark("verify");
        report("kill leader n" + (victim + 1), load, acknowledgedAtKill, result, phases);
        assertThat(load.acknowledged()).as("acknowledged writes (seed %d)", seed).isGreaterThan(1_000);
        assertNoViolations("linearizable reads", result);

        // the restarted node's own replicas, read locally once caught up, hold the same data
        awaitCaughtUpOrAbort(cluster);
        assertNoViolations("local reads on the restarted node", verifyLocally(cluster, victim, load));
      } catch (Throwable t) {
        cluster.attachLogs(t);
        throw t;
      }
    }
  }

  /** Reads every key from node {@code i}'s own replicas (SERIALIZABLE, served by that node). */
  private static AcknowledgedWriteLoad.Verification verifyLocally(ProcessCluster cluster, int i, AcknowledgedWriteLoad load)
      throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(i), InsecureChannelCredentials.create()).build();
    try {
      KVGrpc.KVBlockingStub node = KVGrpc.newBlockingStub(channel);
      return load.verify(key -> {
        GetResponse response = node.withDeadlineAfter(30, TimeUnit.SECONDS)
            .get(GetRequest.newBuilder().setKey(key).setConsistency(Consistency.SERIALIZABLE).build());
        return response.getFound() ? Optional.of(response.getKv().getValue()) : Optional.empty();
      }, 16);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Waits until every replica caught up. A replica that never does is a liveness problem, not a
   * lost write (the linearizable reads above already checked every acknowledged write): seen about
   * once in 15 loaded runs, the leader answering the follower's INCONSISTENCY replies with
   * heartbeats only, which matches Ratis 3.3.0 issues RATIS-2605/RATIS-2523 (docs/testing.md).
   * By default the local-read part is then skipped (reported as aborted, with the reason);
   * {@code -Dringkv.it.strictCatchUp=true} makes it fail instead.
   */
  private static void awaitCaughtUpOrAbort(ProcessCluster cluster) {
    try {
      cluster.awaitReplicasCaughtUp(Duration.ofSeconds(60));
    } catch (AssertionError e) {
      if (Boolean.getBoolean("ringkv.it.strictCatchUp")) {
        throw e;
      }
      org.junit.jupiter.api.Assumptions.abort("a replica did not catch up within 60 s (known Ratis 3.3.0 liveness issue, "
          + "no acknowledged write lost): " + e.getMessage());
    }
  }

  private void assertNoViolations(String what, AcknowledgedWriteLoad.Verification result) {
    assertThat(result.violations().size())
        .as("%s: keys whose value is neither the last acknowledged one nor a later unacknowledged one, of %d (seed %d); first: %s",
            what, result.keys(), seed, result.violations().subList(0, Math.min(20, result.violations().size())))
        .isZero();
  }

  /** One line for the test output: what was written, verified, and how long each phase took. */
  private void report(String scenario, AcknowledgedWriteLoad load, long acknowledgedAtKill,
      AcknowledgedWriteLoad.Verification result, Phases phases) {
    System.out.printf("CrashRecoveryIT %s: seed=%d acknowledged=%d (%d at the kill) unacknowledged=%d keys=%d"
            + " keysWithAcknowledgedWrite=%d unknownOutcomeVisible=%d phases=%s failures=%s%n",
        scenario, seed, load.acknowledged(), acknowledgedAtKill, load.unacknowledged(), result.keys(),
        result.acknowledgedKeys(), result.unknownOutcomeVisible(), phases, load.failureSamples());
  }

  /** Milliseconds spent in each named phase of a test. */
  private static final class Phases {
    private final StringBuilder text = new StringBuilder();
    private long last = System.nanoTime();

    void mark(String phase) {
      long now = System.nanoTime();
      text.append(text.length() == 0 ? "" : " ").append(phase).append('=').append(TimeUnit.NANOSECONDS.toMillis(now - last)).append("ms");
      last = now;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
