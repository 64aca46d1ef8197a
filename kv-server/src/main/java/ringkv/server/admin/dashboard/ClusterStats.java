package ringkv.server.admin.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.NodeInfo;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * {@code /api/stats}: every node's {@link NodeStats} (this node's from {@link LocalStats}, the
 * others' from their {@code /api/stats/local} over HTTP, at the admin port the cluster map records,
 * with short timeouts), and per shard the sums of its replicas' rates and the highest p99 among
 * replicas that had requests, and the partition moves' figures added up ({@link MoveStats#sum}).
 * A node that does not answer is listed with its error and adds
 * nothing; so is a node the map records without an admin port (it registered before the field).
 *
 * <p>Answers are reused for {@link LocalStats#MIN_WINDOW_NANOS}. Synchronized.
 */
final class ClusterStats {
  static final Duration PEER_TIMEOUT = Duration.ofMillis(1_000);
  private static final int MAX_ANSWER_CHARS = 1 << 20;

  private final HostedGroups groups;
  private final LocalStats local;
  private final HttpClient http;
  private final LongSupplier nanoTime;
  private long builtAt;
  private @Nullable Map<String, Object> last;

  ClusterStats(HostedGroups groups, LocalStats local, HttpClient http, LongSupplier nanoTime) {
    this.groups = groups;
    this.local = local;
    this.http = http;
    this.nanoTime = nanoTime;
  }

  synchronized Map<String, Object> current() {
    long now = nanoTime.getAsLong();
    if (last != null && now - builtAt < LocalStats.MIN_WINDOW_NANOS) {
      return last;
    }
    ClusterMapView.Snapshot map = groups.view().current();
    List<NodeInfo> nodes = map == null ? List.of() : map.map().getNodesList();
    String self = groups.self().value();
    Map<String, CompletableFuture<NodeStats>> pending = new LinkedHashMap<>();
    for (NodeInfo node : nodes) {
      if (!node.getId().equals(self)) {
        pending.put(node.getId(), ask(node));
      }
    }
    Map<String, Object> answers = new LinkedHashMap<>();
    Map<String, NodeStats> stats = new LinkedHashMap<>();
    NodeStats mine = local.current();
    stats.put(self, mine);
    long deadline = System.nanoTime() + PEER_TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(300);
    for (Map.Entry<String, CompletableFuture<NodeStats>> e : pending.entrySet()) {
      try {
        stats.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException ex) {
        answers.put(e.getKey(), "no answer within " + PEER_TIMEOUT.toMillis() + " ms");
      } catch (ExecutionException ex) {
        answers.put(e.getKey(), NodeStatusProbe.describe(ex.getCause()));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        answers.put(e.getKey(), "interrupted");
      }
    }

    List<Object> nodeList = new ArrayList<>();
    for (NodeInfo node : nodes.isEmpty() ? List.of(NodeInfo.newBuilder().setId(self).build()) : nodes) {
      NodeStats s = stats.get(node.getId());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", node.getId());
      json.put("reachable", s != null);
      json.put("error", s == null ? answers.get(node.getId()) : null);
      if (s != null) {
        json.put("warmingUp", s.warmingUp());
        json.put("windowSeconds", s.windowSeconds());
        json.put("opsPerSec", s.opsPerSec());
        json.put("errorsPerSec", s.errorsPerSec());
        json.put("p99Ms", s.p99Ms());
        NodeStats.DataMemory memory = s.dataMemory();
        json.put("dataMemory", memory == null ? null : memory.toJson());
      }
      nodeList.add(json);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("self", self);
    json.put("nodes", nodeList);
    json.put("shards", shards(stats.values()));
    json.put("partitionMoves", MoveStats.sum(stats.values().stream().map(NodeStats::moves).toList()).toJson());
    json.put("generatedAtMillis", System.currentTimeMillis());
    last = json;
    builtAt = nanoTime.getAsLong();
    return json;
  }

  private CompletableFuture<NodeStats> ask(NodeInfo node) {
    if (node.getAdminPort() == 0) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "admin port unknown: the node registered before the map recorded admin ports"));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostForUri(node.getHost()) + ":"
        + node.getAdminPort() + "/api/stats/local")).timeout(PEER_TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode());
      }
      if (response.body().length() > MAX_ANSWER_CHARS) {
        throw new IllegalStateException("answer larger than " + MAX_ANSWER_CHARS + " characters");
      }
      return NodeStats.fromJson(Json.parse(response.body()));
    });
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Per shard: rates summed over the replicas that answered, p99 the highest among those with calls. */
  private static List<Object> shards(Iterable<NodeStats> nodes) {
    Map<Integer, double[]> rates = new TreeMap<>();
    Map<Integer, Double[]> p99 = new TreeMap<>();
    Map<Integer, List<String>> reporters = new TreeMap<>();
    for (NodeStats node : nodes) {
      for (NodeStats.ShardStats s : node.shards()) {
        double[] r = rates.computeIfAbsent(s.shard(), k -> new double[2]);
        r[0] += s.writesPerSec();
        r[1] += s.readsPerSec();
        Double[] p = p99.computeIfAbsent(s.shard(), k -> new Double[2]);
        p[0] = max(p[0], s.p99WriteMs());
        p[1] = max(p[1], s.p99ReadMs());
        reporters.computeIfAbsent(s.shard(), k -> new ArrayList<>()).add(node.node());
      }
    }
    List<Object> shards = new ArrayList<>();
    rates.forEach((shard, r) -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", shard);
      json.put("opsPerSec", r[0] + r[1]);
      json.put("writesPerSec", r[0]);
      json.put("readsPerSec", r[1]);
      json.put("p99WriteMs", p99.get(shard)[0]);
      json.put("p99ReadMs", p99.get(shard)[1]);
      json.put("reportedBy", reporters.get(shard));
      shards.add(json);
    });
    return shards;
  }

  private static @Nullable Double max(@Nullable Double a, @Nullable Double b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.max(a, b);
  }
}
