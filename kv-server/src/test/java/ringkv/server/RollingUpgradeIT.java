package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.raft.codec.CommandCodec;
import ringkv.server.testing.ProcessCluster;

/**
 * A rolling upgrade with real processes: while client threads put new keys and read them back
 * through kv-client, each node in turn is drained ({@code DrainNode}, sent to another node that
 * forwards it, as {@code kvctl node drain} in a preStop hook does), stopped with SIGTERM, and
 * started again from a second build directory (a copy of this build's jar and dependencies,
 * standing in for the new version). The last node gets no DrainNode: the drain that kv-server
 * runs on SIGTERM must do the work alone. No client request may
 * fail (retries inside the call deadline are fine), every acknowledged write must be readable at
 * the end, and the longest time any request took during each restart is printed: the pause a
 * client saw. docs/benchmarks.md ("Rolling upgrade") records the figures.
 */
class RollingUpgradeIT {
  private static final int CLIENT_THREADS = 4;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void drainStopAndUpgradeEachNode_underLoad_noFailedRequest_noLostWrite() throws Exception {
    String newBuild = copyOfThisBuild(root.resolve("new-build"));
    try (ProcessCluster cluster = ProcessCluster.builder(root.resolve("cluster")).nodes(3).shards(3).replication(3).start()) {
      try {
        // the default 30 s call deadline; each attempt may take 2 s before the client tries another node
        KvClient client = cluster.newClient(cluster.clientConfig().attemptTimeout(Duration.ofSeconds(2)).build());
        PauseRecordingLoad load = new PauseRecordingLoad(client, CLIENT_THREADS);
        load.start();
        load.awaitMoreOperations(300, Duration.ofSeconds(60));
        List<String> drains = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
          String node = ProcessCluster.nodeId(i);
          long start = System.nanoTime();
          // the last node gets no DrainNode: SIGTERM alone must drain it (a pod without a preStop hook)
          boolean drainFirst = i < cluster.size() - 1;
          if (drainFirst) {
            load.phase(node + " drain");
            DrainNodeResponse report = drain(cluster, i, (i + 1) % cluster.size());
            assertThat(report.getDrained()).as("drain report of %s: %s", node, report).isTrue();
            assertThat(report.getLeadershipsLeftList()).isEmpty();
            drains.add(node + ": " + report.getLeadershipsMoved() + " leaderships moved, " + report.getRequestsFinished()
                + " requests finished, " + report.getElapsedMillis() + " ms");
            assertDrainedNodeRefusesRequests(cluster, i);
            // idempotent: a second drain finds nothing left and answers at once
            DrainNodeResponse again = drain(cluster, i, i);
            assertThat(again.getDrained()).isTrue();
            assertThat(again.getLeadershipsMoved()).isZero();
          }

          // for the last node, the stop includes the drain kv-server runs on SIGTERM
          load.phase(node + " stop");
          cluster.stopNode(i, Duration.ofSeconds(60));
          // the shutdown hook drained (after a DrainNode usually with nothing left to move; a leadership
          // the node won back in an election meanwhile would have been moved here)
          assertThat(cluster.node(i).tail(400)).as("%s log after SIGTERM", node).contains("drain done node=" + node);
          load.phase(node + " start");
          cluster.restartNode(i, newBuild);
          cluster.awaitReady(Duration.ofSeconds(120));
          cluster.awaitNodeReady(i, Duration.ofSeconds(120));
          System.out.printf("rolling upgrade: %s drained, stopped and restarted on the new build in %.1f s%n", node,
              (System.nanoTime() - start) / 1e9);
          assertThat(cluster.nodeStatus(i).getLogFormatVersion()).isEqualTo(CommandCodec.LOG_FORMAT_VERSION);
          // the restarted node is not draining: it serves requests itself again
          assertThat(putDirectly(cluster, i, "upgrade/direct/" + node).getCode()).isEqualTo(Status.Code.OK);
        }
        load.phase("after the upgrade");
        load.awaitMoreOperations(300, Duration.ofSeconds(60));
        load.stop(Duration.ofSeconds(60));

        List<PauseRecordingLoad.PhaseSummary> phases = load.summary();
        phases.forEach(p -> System.out.printf("rolling upgrade: %-20s %6d requests, longest %5d ms (%s)%n", p.phase(),
            p.requests(), p.longestRequest().toMillis(), p.longestOp()));
        for (int i = 0; i < cluster.size(); i++) {
          String node = ProcessCluster.nodeId(i);
          System.out.printf("rolling upgrade: longest request while %s was drained, stopped and restarted: %d ms%n", node,
              phases.stream().filter(p -> p.phase().startsWith(node + " "))
                  .mapToLong(p -> p.longestRequest().toMillis()).max().orElse(0));
        }
        drains.forEach(d -> System.out.println("rolling upgrade: drain " + d));
        assertThat(load.failures()).as("failed client requests, e.g. %s", load.failureSamples()).isZero();

        Map<ByteString, ByteString> acknowledged = load.acknowledged();
        List<String> lost = readBack(cluster.newClient(), acknowledged);
        System.out.printf("rolling upgrade: %d acknowledged writes read back, %d lost%n", acknowledged.size(), lost.size());
        assertThat(lost).as("acknowledged writes not read back").isEmpty();
        assertThat(acknowledged).hasSizeGreaterThan(300);
        cluster.awaitConverged(Duration.ofSeconds(60));
      } catch (Throwable t) {
        cluster.attachLogs(t);
        throw t;
      }
    }
  }

  /** Sends {@code DrainNode} for node {@code target} to node {@code via} (which forwards it unless it is the target). */
  private static DrainNodeResponse drain(ProcessCluster cluster, int target, int via) throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(via), InsecureChannelCredentials.create()).build();
    try {
      return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(DRAIN_TIMEOUT.plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS)
          .drainNode(DrainNodeRequest.newBuilder().setNodeId(ProcessCluster.nodeId(target))
              .setTimeoutMillis(DRAIN_TIMEOUT.toMillis()).build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A drained node is not ready and refuses KV requests with a retryable status that says why. */
  private static void assertDrainedNodeRefusesRequests(ProcessCluster cluster, int i) throws InterruptedException {
    ProcessCluster.Readyz readyz = cluster.readyz(i);
    assertThat(readyz.status()).isEqualTo(503);
    assertThat(readyz.body()).contains("draining");
    Status refused = putDirectly(cluster, i, "upgrade/refused");
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getDescription()).contains("draining");
  }

  /** One Put straight to node {@code i}'s API (no client retries); its status. */
  private static Status putDirectly(ProcessCluster cluster, int i, String key) throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(i), InsecureChannelCredentials.create()).build();
    try {
      StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, () -> KVGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("x")).build()));
      return failure == null ? Status.OK : failure.getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Reads every acknowledged key (64 at a time); the keys whose value is not the acknowledged one. */
  private static List<String> readBack(KvClient client, Map<ByteString, ByteString> acknowledged) {
    List<String> lost = new ArrayList<>();
    List<Map.Entry<ByteString, ByteString>> entries = new ArrayList<>(acknowledged.entrySet());
    for (int from = 0; from < entries.size(); from += 64) {
      List<Map.Entry<ByteString, ByteString>> batch = entries.subList(from, Math.min(entries.size(), from + 64));
      List<CompletableFuture<GetResult>> reads = batch.stream().map(e -> client.async().get(e.getKey())).toList();
      for (int j = 0; j < batch.size(); j++) {
        GetResult read = reads.get(j).join();
        if (!read.found() || !read.kv().value().equals(batch.get(j).getValue())) {
          lost.add(batch.get(j).getKey().toStringUtf8());
        }
      }
    }
    return lost;
  }

  /**
   * The "new version": this build's kv-server jar and its runtime dependencies, copied to {@code
   * target}, as a second installation would be; returns its classpath. The nodes first run from
   * the test's own classpath (target/classes and the Maven repository), so after the restart every
   * node runs code loaded from another place.
   */
  private static String copyOfThisBuild(Path target) throws IOException {
    Path build = Path.of("target");
    Path jar;
    try (Stream<Path> files = Files.list(build)) {
      jar = files.filter(f -> f.getFileName().toString().matches("kv-server-.*\\.jar")
          && !f.getFileName().toString().endsWith("-tests.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no kv-server jar under " + build.toAbsolutePath() + "; run mvn verify"));
    }
    Path lib = target.resolve("lib");
    Files.createDirectories(lib);
    Files.copy(jar, target.resolve("kv-server.jar"));
    try (Stream<Path> deps = Files.list(build.resolve("lib"))) {
      deps.forEach(dep -> {
        try {
          Files.copy(dep, lib.resolve(dep.getFileName()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return target.resolve("kv-server.jar") + File.pathSeparator + lib + File.separator + "*";
  }
}
