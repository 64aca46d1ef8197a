package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.ShardInfo;
import ringkv.client.KvClient;
import ringkv.router.ShardId;
import ringkv.server.testing.MiniCluster;

/**
 * Admin/RemoveNode and Admin/RebalanceReplicas on four real nodes with three shards: a removed
 * node's replicas move to the others with their data and the map forgets it; started again, it
 * joins as a new node and a rebalance gives it its share of replicas and leaders; a removal that
 * would leave fewer nodes than replicas per shard is refused and changes nothing.
 */
class NodeChangeIT {
  private static final Duration MOVES = Duration.ofSeconds(90);

  @Test
  void removeNode_thenAddItBack_replicasAndLeadersSpreadAgain_noKeyLost() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(4).shards(3).partitions(32).start()) {
      for (int s = 0; s < 3; s++) {
        cluster.awaitLeader(ShardId.of(s));
      }
      KvClient client = cluster.newClient();
      for (int i = 0; i < 300; i++) {
        client.put(ByteString.copyFromUtf8("key-" + i), ByteString.copyFromUtf8("value-" + i));
      }
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
      try {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel);
        // the shards are placed once three nodes joined: n4 may hold nothing yet (a node added later)
        rebalanceUntilSpread(admin, cluster);
        int share = replicaCounts(AdminCalls.map(admin), ShardInfo::getReplicasList).get("n4");
        assertThat(share).as("n4's share of 9 replicas on 4 nodes").isBetween(2, 3);
        assertThat(read(client, 300)).isEqualTo(300);

        int moves = admin.withDeadlineAfter(30, TimeUnit.SECONDS)
            .removeNode(RemoveNodeRequest.newBuilder().setNodeId("n4").build()).getReplicaMoves();
        assertThat(moves).isEqualTo(share);
        ClusterMap without = AdminCalls.awaitMap(admin, MOVES, "n4 to be forgotten",
            m -> m.getNodesList().stream().noneMatch(n -> n.getId().equals("n4")));
        assertThat(without.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).hasSize(3).doesNotContain("n4"));
        MiniCluster.await("n4 to drop its replicas", Duration.ofSeconds(30),
            () -> List.of(0, 1, 2).stream().noneMatch(s -> cluster.replicaNodes(ShardId.of(s)).contains(3)));
        assertThat(read(client, 300)).isEqualTo(300);

        // n4 comes back (its process restarted): it joins again as a new node and gets its share
        cluster.kill(3);
        cluster.restart(3);
        AdminCalls.awaitMap(admin, MOVES, "n4 to join again", m -> m.getNodesList().stream().anyMatch(n -> n.getId().equals("n4")));
        rebalanceUntilSpread(admin, cluster);
        assertThat(replicaCounts(AdminCalls.map(admin), ShardInfo::getReplicasList).get("n4")).as("n4's share again").isBetween(2, 3);
        assertThat(read(client, 300)).isEqualTo(300);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void removeNode_fewerNodesThanReplicasWouldRemain_refusedWithTheReason_mapUnchanged() {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(1).partitions(16).start()) {
      cluster.awaitLeader(ShardId.of(0));
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
      try {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        ClusterMap before = admin.getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap();
        AdminCalls.assertRefused(() -> admin.removeNode(RemoveNodeRequest.newBuilder().setNodeId("n2").build()),
            "2 nodes would remain for 3 replicas per shard");
        AdminCalls.assertRefused(() -> admin.removeNode(RemoveNodeRequest.newBuilder().setNodeId("n9").build()), "'n9' is not a node");
        assertThat(admin.getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap()).isEqualTo(before);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /**
   * Rebalances until replicas and preferred leaders are spread within one of each other (a round
   * moves each shard at most once), then waits for every shard's replicas to converge.
   */
  private static void rebalanceUntilSpread(AdminGrpc.AdminBlockingStub admin, MiniCluster cluster) {
    for (int round = 0; round < 4; round++) {
      admin.withDeadlineAfter(30, TimeUnit.SECONDS).rebalanceReplicas(RebalanceReplicasRequest.getDefaultInstance());
      ClusterMap settled = AdminCalls.awaitMap(admin, MOVES, "replica moves to finish", m -> m.getShardsList().stream().noneMatch(ShardInfo::hasMove));
      if (spread(settled, ShardInfo::getReplicasList) <= 1) {
        break;
      }
    }
    ClusterMap spread = AdminCalls.awaitMap(admin, MOVES, "replicas and preferred leaders to spread",
        m -> spread(m, ShardInfo::getReplicasList) <= 1 && spread(m, s -> s.getReplicasList().subList(0, 1)) <= 1);
    assertThat(spread.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).hasSize(3));
    for (int s = 0; s < spread.getShardsCount(); s++) {
      cluster.awaitReplicasConverged(ShardId.of(spread.getShards(s).getId()));
    }
    // the Raft leaders follow the map's preferred leaders (the meta leader sets the priorities)
    MiniCluster.await("every shard led by its preferred leader", MOVES, () -> AdminCalls.map(admin).getShardsList().stream()
        .allMatch(s -> cluster.leaderIndex(ShardId.of(s.getId())).map(i -> "n" + (i + 1)).orElse("")
            .equals(s.getReplicas(0))));
  }

  private static int read(KvClient client, int count) {
    int found = 0;
    for (int i = 0; i < count; i++) {
      var result = client.get(ByteString.copyFromUtf8("key-" + i));
      if (result.found() && result.kv().value().toStringUtf8().equals("value-" + i)) {
        found++;
      }
    }
    return found;
  }

  /** Replicas (or preferred leaders) per node of the map, nodes without any included. */
  private static Map<String, Integer> replicaCounts(ClusterMap map, java.util.function.Function<ShardInfo, List<String>> which) {
    Map<String, Integer> counts = new HashMap<>();
    map.getNodesList().stream().map(NodeInfo::getId).forEach(n -> counts.put(n, 0));
    map.getShardsList().forEach(s -> which.apply(s).forEach(n -> counts.merge(n, 1, Integer::sum)));
    return counts;
  }

  private static int spread(ClusterMap map, java.util.function.Function<ShardInfo, List<String>> which) {
    Map<String, Integer> counts = replicaCounts(map, which);
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0)
        - counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
  }
}
