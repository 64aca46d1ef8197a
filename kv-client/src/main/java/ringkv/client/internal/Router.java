package ringkv.client.internal;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ResponseHeader;
import ringkv.api.v1.ShardLeader;
import ringkv.router.Partitioner;

/**
 * The client's routing cache: the cluster map (key -> partition -> shard) and the leader of each
 * shard, so that a request goes straight to the node leading its shard and takes no forwarding
 * hop.
 *
 * <p>Implementation notes. The map is fetched from any node ({@code Admin.GetClusterMap}) on the
 * first request, and again when a node answers with a newer epoch or {@code ABORTED}; one fetch
 * runs at a time. Leaders are learned from the map response and then from every response header
 * and error detail, which name the shard's current leader. Until the map arrives, requests go to
 * any node, which forwards them. Thread-safe.
 */
final class Router {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** One version of the map with lookups derived from it. */
  private record Routes(ClusterMap map, Partitioner partitioner, Map<Integer, List<String>> replicaEndpoints) {
    int shardOf(ByteString key) {
      return map.getAssignment(partitioner.partitionOf(key));
    }
  }

  private final List<String> seeds;
  private final ChannelPool channels;
  private final Map<Integer, String> leaders = new ConcurrentHashMap<>();
  /**
   * Endpoints that just failed as a shard's leader, until when (nanoTime) they are not the first
   * choice for that shard: a leader cut off from its followers times out rather than refusing,
   * and the map's first replica may be that very node.
   */
  private final Map<String, Long> suspectUntil = new ConcurrentHashMap<>();
  private static final long SUSPECT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
  private final AtomicReference<CompletableFuture<Void>> refreshing = new AtomicReference<>();
  private volatile @Nullable Routes routes;

  Router(List<String> seeds, ChannelPool channels) {
    this.seeds = List.copyOf(seeds);
    this.channels = channels;
  }

  /** The map epoch requests are routed with; 0 before the map is known. */
  long epoch() {
    Routes r = routes;
    return r == null ? 0 : r.map().getEpoch();
  }

  /** The shard of {@code key}, or -1 before the map is known. */
  int shardOf(ByteString key) {
    Routes r = routes;
    if (r == null) {
      refresh();
      return -1;
    }
    return r.map().getAssignmentCount() == 0 ? -1 : r.shardOf(key);
  }

  /** Where to send a request for {@code shard}: its leader, else one of its replicas, else null. */
  @Nullable String endpointFor(int shard) {
    if (shard < 0) {
      return null;
    }
    String leader = leaders.get(shard);
    if (leader != null) {
      return leader;
    }
    Routes r = routes;
    List<String> replicas = r == null ? null : r.replicaEndpoints().get(shard);
    if (replicas == null || replicas.isEmpty()) {
      return null;
    }
    long now = System.nanoTime();
    for (String replica : replicas) {
      Long until = suspectUntil.get(replica);
      if (until == null || until - now < 0) {
        return replica;
      }
    }
    return replicas.get(0);
  }

  /** Learns from a response: the shard's leader, and whether the map is out of date. */
  void observe(ResponseHeader header) {
    if (!header.getLeaderEndpoint().isEmpty()) {
      leaders.put(header.getShardId(), header.getLeaderEndpoint());
    }
    if (header.getEpoch() > epoch()) {
      refresh();
    }
  }

  /**
   * Forgets {@code endpoint} as the shard's leader after it failed (node down, not leader, timed
   * out), and makes it the last choice for a few seconds.
   */
  void forgetLeader(int shard, String endpoint) {
    suspectUntil.put(endpoint, System.nanoTime() + SUSPECT_NANOS);
    if (shard >= 0) {
      leaders.remove(shard, endpoint);
    }
  }

  void noteLeader(int shard, String endpoint) {
    if (shard >= 0 && endpoint != null && !endpoint.isEmpty()) {
      leaders.put(shard, endpoint);
    }
  }

  /** Fetches the map unless a fetch is already running; completes when it is done (or failed). */
  CompletableFuture<Void> refresh() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = refreshing.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    fetch(0, mine);
    return mine.whenComplete((v, e) -> refreshing.set(null));
  }

  private void fetch(int attempt, CompletableFuture<Void> done) {
    if (attempt >= seedsAndKnown().size()) {
      done.complete(null); // no node answered; requests still go to any node
      return;
    }
    String endpoint = seedsAndKnown().get(attempt);
    Futures.addCallback(channels.adminStub(endpoint).withDeadlineAfter(5, TimeUnit.SECONDS)
            .getClusterMap(GetClusterMapRequest.getDefaultInstance()),
        new FutureCallback<GetClusterMapResponse>() {
          @Override
          public void onSuccess(GetClusterMapResponse response) {
            adopt(response);
            done.complete(null);
          }

          @Override
          public void onFailure(Throwable t) {
            LOG.debug("cluster map fetch from {} failed: {}", endpoint, t.toString());
            fetch(attempt + 1, done);
          }
        }, MoreExecutors.directExecutor());
  }

  private List<String> seedsAndKnown() {
    Routes r = routes;
    if (r == null) {
      return seeds;
    }
    List<String> all = new java.util.ArrayList<>(seeds);
    for (NodeInfo node : r.map().getNodesList()) {
      String endpoint = node.getHost() + ":" + node.getApiPort();
      if (!all.contains(endpoint)) {
        all.add(endpoint);
      }
    }
    return all;
  }

  private void adopt(GetClusterMapResponse response) {
    ClusterMap map = response.getMap();
    Routes current = routes;
    if (current != null && current.map().getEpoch() > map.getEpoch()) {
      return;
    }
    Map<String, String> endpointsById = new ConcurrentHashMap<>();
    map.getNodesList().forEach(n -> endpointsById.put(n.getId(), n.getHost() + ":" + n.getApiPort()));
    Map<Integer, List<String>> replicaEndpoints = new ConcurrentHashMap<>();
    // replicas in the map's order: the first one is the shard's preferred leader
    map.getShardsList().forEach(s -> replicaEndpoints.put(s.getId(),
        s.getReplicasList().stream().filter(endpointsById::containsKey).map(endpointsById::get).toList()));
    Partitioner partitioner = current != null && current.partitioner().partitionCount() == map.getPartitionCount()
        ? current.partitioner() : new Partitioner(Math.max(1, map.getPartitionCount()));
    routes = new Routes(map, partitioner, Map.copyOf(replicaEndpoints));
    for (ShardLeader leader : response.getLeadersList()) {
      noteLeader(leader.getShardId(), leader.getApiEndpoint());
    }
  }
}
