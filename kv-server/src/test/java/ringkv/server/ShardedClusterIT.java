package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.KVGrpc;
import ringkv.client.KvClient;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.SessionConfig;
import ringkv.router.NodeId;
import ringkv.router.Partitioner;
import ringkv.router.ShardId;
import ringkv.server.config.NodeConfig;
import ringkv.server.config.RequestLimits;
import ringkv.server.testing.MiniCluster;

/** Three nodes, three shards of three replicas: the map, placement, routing, and a node down. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedClusterIT {
  private static final int SHARDS = 3;
  private static final int PARTITIONS = 1024;
  private static final int KEYS = 10_000;
  private static MiniCluster cluster;

  @TempDir static Path scratch;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.builder().nodes(3).shards(SHARDS).replication(3).partitions(PARTITIONS).start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8("key-" + i);
  }

  private static ClusterMap map(int node) {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(node), InsecureChannelCredentials.create()).build();
    try {
      return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(1)
  void map_everyShardHasThreeReplicasOnDistinctNodes_partitionsWithinTheCap() {
    ClusterMap map = map(1);
    assertThat(map.getShardsList()).hasSize(SHARDS);
    map.getShardsList().forEach(s -> assertThat(s.getReplicasList()).hasSize(3).doesNotHaveDuplicates());
    assertThat(map.getMetaMembersList()).containsExactlyInAnyOrder("n1", "n2", "n3");
    int cap = (int) Math.ceil((1 + map.getPlacement().getEps()) * PARTITIONS / SHARDS);
    Map<Integer, Integer> owned = new HashMap<>();
    map.getAssignmentList().forEach(s -> owned.merge(s, 1, Integer::sum));
    assertThat(owned).hasSize(SHARDS);
    assertThat(owned.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(cap));
    // preferred leaders spread: each node is the first replica of one shard
    assertThat(map.getShardsList().stream().map(s -> s.getReplicas(0)).distinct()).hasSize(3);
    // every node hosts exactly the groups the map places on it
    for (int i = 0; i < 3; i++) {
      for (int s = 0; s < SHARDS; s++) {
        assertThat(cluster.node(i).groups().localStateMachine(ShardId.of(s))).isPresent();
      }
    }
  }

  @Test
  @Order(2)
  void tenThousandKeys_landOnEveryShard_andAnyNodeAnswersAnyKey() {
    KvClient client = cluster.newClient();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      writes.add(client.async().put(key(i), ByteString.copyFromUtf8("value-" + i)));
      if (writes.size() == 256) {
        writes.forEach(CompletableFuture::join);
        writes.clear();
      }
    }
    writes.forEach(CompletableFuture::join);

    ClusterMap map = map(0);
    Partitioner partitioner = new Partitioner(PARTITIONS);
    Map<Integer, Long> expectedPerShard = new HashMap<>();
    IntStream.range(0, KEYS).forEach(i -> expectedPerShard.merge(map.getAssignment(partitioner.partitionOf(key(i))), 1L, Long::sum));
    for (int s = 0; s < SHARDS; s++) {
      ShardId shard = ShardId.of(s);
      cluster.awaitReplicasConverged(shard);
      long keys = cluster.stateMachine(0, shard).keyCount();
      assertThat(keys).as("keys on %s", shard).isEqualTo(expectedPerShard.get(s)).isGreaterThan(KEYS / 6);
    }

    // any node answers any key, through its own API (forwarding reads to the shard leader)
    for (int node = 0; node < 3; node++) {
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(node), InsecureChannelCredentials.create()).build();
      try {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        for (int i = 0; i < KEYS; i += 37) {
          var got = kv.withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder().setKey(key(i)).build());
          assertThat(got.getKv().getValue().toStringUtf8()).isEqualTo("value-" + i);
          assertThat(got.getHeader().getShardId()).isEqualTo(map.getAssignment(partitioner.partitionOf(key(i))));
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  @Order(3)
  void smartClient_inSteadyState_atLeast99PercentOfRequestsTakeNoForwardingHop() {
    KvClient client = cluster.newClient();
    // warm up: the client learns the map and every shard's leader
    IntStream.range(0, 300).forEach(i -> client.get(key(i)));
    double requestsBefore = totalRequests();
    double forwardedBefore = totalForwarded();
    IntStream.range(0, 2_000).forEach(i -> {
      if (i % 2 == 0) {
        client.put(key(i), ByteString.copyFromUtf8("again-" + i));
      } else {
        client.get(key(i));
      }
    });
    double requests = totalRequests() - requestsBefore;
    double forwarded = totalForwarded() - forwardedBefore;
    System.out.printf("steady state: %.0f requests, %.0f forwarded (%.2f%%)%n", requests, forwarded, 100 * forwarded / requests);
    assertThat(requests).isGreaterThanOrEqualTo(2_000);
    assertThat(forwarded / requests).as("forwarded share (%s of %s)", forwarded, requests).isLessThanOrEqualTo(0.01);
  }

  private static double totalRequests() {
    return IntStream.range(0, 3).filter(cluster::isRunning).mapToDouble(i -> cluster.node(i).metrics().requestCount()).sum();
  }

  private static double totalForwarded() {
    return IntStream.range(0, 3).filter(cluster::isRunning).mapToDouble(i -> cluster.node(i).metrics().forwardedCount()).sum();
  }

  @Test
  @Order(4)
  void oneNodeDown_everyShardStaysWritableAndReadable() {
    cluster.kill(2);
    for (int s = 0; s < SHARDS; s++) {
      cluster.awaitLeader(ShardId.of(s));
    }
    KvClient client = cluster.newClient(List.of(cluster.apiEndpoint(0), cluster.apiEndpoint(1)));
    ClusterMap map = map(0);
    Partitioner partitioner = new Partitioner(PARTITIONS);
    Map<Integer, Integer> writtenPerShard = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      ByteString k = ByteString.copyFromUtf8("down-" + i);
      client.put(k, ByteString.copyFromUtf8("v" + i));
      writtenPerShard.merge(map.getAssignment(partitioner.partitionOf(k)), 1, Integer::sum);
      assertThat(client.get(k).kv().value().toStringUtf8()).isEqualTo("v" + i);
    }
    assertThat(writtenPerShard).hasSize(SHARDS);
    // old keys are all still there
    for (int i = 0; i < KEYS; i += 101) {
      assertThat(client.get(key(i)).found()).isTrue();
    }
    cluster.restart(2);
    for (int s = 0; s < SHARDS; s++) {
      cluster.awaitReplicasConverged(ShardId.of(s));
    }
  }

  @Test
  @Order(5)
  void join_withWrongClusterId_isRefusedAndChangesNothing() {
    long epoch = map(0).getEpoch();
    KvNode stranger = new KvNode(joiner("n9", "other-cluster"));
    assertThatThrownBy(stranger::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("cluster 'mini'").hasMessageContaining("other-cluster");
    assertThat(map(0).getEpoch()).isEqualTo(epoch);
    assertThat(map(0).getNodesList()).extracting("id").doesNotContain("n9");
  }

  @Test
  @Order(6)
  void join_withATakenNodeId_isRefusedAndChangesNothing() {
    long epoch = map(0).getEpoch();
    KvNode impostor = new KvNode(joiner("n2", "mini"));
    assertThatThrownBy(impostor::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("node id 'n2' is already taken");
    assertThat(map(0).getEpoch()).isEqualTo(epoch);
  }

  private static NodeConfig joiner(String id, String clusterId) {
    return new NodeConfig(NodeId.of(id), clusterId, "127.0.0.1", "127.0.0.1", MiniCluster.freePort(), MiniCluster.freePort(),
        scratch.resolve(id + "-" + clusterId), null, List.of(cluster.apiEndpoint(0)), RaftTuning.DEFAULTS,
        RequestLimits.DEFAULTS, SessionConfig.DEFAULTS);
  }
}
