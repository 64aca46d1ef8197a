package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.GetClusterStatusRequest;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.NodeStatus;
import ringkv.api.v1.ReplicaStatus;
import ringkv.client.KvClient;
import ringkv.router.ShardId;
import ringkv.server.testing.MetricsScrape;
import ringkv.server.testing.MiniCluster;

/** /metrics under load, and /healthz and /readyz, on real nodes. */
class MetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void metricsMoveUnderLoad_areValidPrometheusText_andShardGaugesMatchClusterStatus() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(3).start()) {
      KvClient client = cluster.newClient();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger written = new AtomicInteger();
      ExecutorService load = Executors.newSingleThreadExecutor();
      Future<?> writer = load.submit(() -> {
        while (running.get()) {
          int i = written.getAndIncrement();
          client.put(ByteString.copyFromUtf8("m" + i), ByteString.copyFromUtf8("v" + i));
          client.get(ByteString.copyFromUtf8("m" + i));
        }
        return null;
      });
      MiniCluster.await("some writes", Duration.ofSeconds(60), () -> written.get() > 50);
      MetricsScrape first = MetricsScrape.of(cluster.adminUrl(0));
      int before = written.get();
      MiniCluster.await("more writes", Duration.ofSeconds(60), () -> written.get() > before + 100);
      MetricsScrape second = MetricsScrape.of(cluster.adminUrl(0));
      running.set(false);
      writer.get(60, TimeUnit.SECONDS);
      load.shutdown();

      assertThat(second.promtoolProblems()).isEmpty();
      // counters move while the load runs (the client spreads calls over the nodes, node 0 gets some)
      assertThat(second.sum("grpc_server_processing_duration_seconds_count", "method=\"Put\"", "code=\"OK\"").orElse(0))
          .isGreaterThan(first.sum("grpc_server_processing_duration_seconds_count", "method=\"Put\"", "code=\"OK\"").orElse(0));
      assertThat(second.sum("ringkv_server_requests_total").orElse(0)).isGreaterThan(first.sum("ringkv_server_requests_total").orElse(0));
      assertThat(second.sum("grpc_server_processing_duration_seconds_bucket", "method=\"Put\"", "le=\"+Inf\"")).isPresent();
      assertThat(second.sum("jvm_memory_used_bytes")).isPresent();
      assertThat(second.sum("ringkv_shard_term", "shard=\"meta\"").orElse(Double.NaN)).isGreaterThan(0);

      // at rest, node 0's per-shard gauges say what `kvctl cluster status` (Admin/GetClusterStatus) says
      for (int s = 0; s < 3; s++) {
        cluster.awaitReplicasConverged(ShardId.of(s));
      }
      MetricsScrape atRest = MetricsScrape.of(cluster.adminUrl(0));
      NodeStatus node0 = clusterStatus(cluster).getNodesList().stream().filter(n -> n.getNodeId().equals("n1")).findFirst().orElseThrow();
      assertThat(node0.getStatus().getReplicasList()).isNotEmpty();
      long keys = 0;
      for (ReplicaStatus replica : node0.getStatus().getReplicasList()) {
        String shard = replica.getIsMeta() ? "meta" : Integer.toString(replica.getShardId());
        assertThat(atRest.sum("ringkv_shard_applied_index", "shard=\"" + shard + "\"").orElseThrow())
            .as("applied index of %s", shard).isEqualTo((double) replica.getAppliedIndex());
        assertThat(atRest.sum("ringkv_shard_term", "shard=\"" + shard + "\"").orElseThrow()).isEqualTo((double) replica.getTerm());
        if (!replica.getIsMeta()) {
          assertThat(atRest.sum("ringkv_shard_keys", "shard=\"" + shard + "\"").orElseThrow()).isEqualTo((double) replica.getKeyCount());
          keys += replica.getKeyCount();
        }
      }
      assertThat(keys).isPositive();
    }
  }

  @Test
  void readyz_isNotReadyWhileARestartedNodeCatchesUp_thenReady_andHealthzIsAlwaysOk() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(1).start()) {
      KvClient client = cluster.newClient();
      int leader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
      int follower = (leader + 1) % 3;
      MiniCluster.await("the follower ready", Duration.ofSeconds(60), () -> readyz(cluster.adminUrl(follower)).statusCode() == 200);
      cluster.kill(follower);
      ExecutorService writers = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(writers.submit(() -> {
          for (int i = 0; i < 500; i++) {
            client.put(ByteString.copyFromUtf8("r" + thread + "-" + i), ByteString.copyFromUtf8("v"));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      writers.shutdown();

      // watch /readyz from before the node's admin port opens until it is ready
      List<String> seen = new CopyOnWriteArrayList<>();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          try {
            HttpResponse<String> r = readyz(cluster.adminUrl(follower));
            seen.add(r.statusCode() + " " + r.body().trim());
          } catch (RuntimeException e) {
            // port not open yet
          }
        }
      });
      watcher.start();
      cluster.restart(follower);
      MiniCluster.await("the restarted node ready", Duration.ofSeconds(120), () -> !seen.isEmpty() && seen.get(seen.size() - 1).startsWith("200"));
      watching.set(false);
      watcher.join();

      assertThat(seen).as("readiness answers while restarting").anyMatch(s -> s.startsWith("503") && s.contains("shard-0"));
      assertThat(seen.get(seen.size() - 1)).isEqualTo("200 {\"ready\":true,\"problems\":[]}");
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.adminUrl(follower) + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      System.out.println("readyz while restarting: " + seen.stream().filter(s -> s.startsWith("503")).distinct().toList());
    }
  }

  private static HttpResponse<String> readyz(String adminUrl) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static GetClusterStatusResponse clusterStatus(MiniCluster cluster) {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
    try {
      return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
    }
  }
}
