package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.ShardInfo;
import ringkv.client.KvClient;
import ringkv.router.ShardId;
import ringkv.server.testing.MiniCluster;

/**
 * Admin/AddShard and Admin/RemoveShard on three real nodes while writers keep writing: every
 * partition the plan moves changes owner, every acknowledged write is read back afterwards, the
 * replicas of every shard converge, a removed shard's replicas are dropped, and bad requests are
 * refused with their reason and change nothing.
 */
class ReshardIT {
  private static final Duration RESHARD_TIMEOUT = Duration.ofSeconds(120);

  @Test
  void addThenRemoveShards_underWrites_everyAcknowledgedWriteSurvives_replicasConverge() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(2).partitions(64).start()) {
      cluster.awaitLeader(ShardId.of(0));
      cluster.awaitLeader(ShardId.of(1));
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(1), InsecureChannelCredentials.create()).build();
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicReference<Throwable> writerFailure = new AtomicReference<>();
      AtomicInteger writes = new AtomicInteger();
      try (KvClient client = cluster.newClient()) {
        for (int i = 0; i < 500; i++) {
          put(client, acknowledged, "before-" + i, "v" + i);
        }
        Thread writer = new Thread(() -> {
          int n = 0;
          while (writing.get()) {
            try {
              String key = "during-" + (n % 300);
              put(client, acknowledged, key, "w" + n);
              writes.incrementAndGet();
              n++;
            } catch (RuntimeException e) {
              writerFailure.compareAndSet(null, e);
              return;
            }
          }
        }, "reshard-it-writer");
        writer.start();
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel);

        AddShardResponse added = admin.withDeadlineAfter(30, TimeUnit.SECONDS)
            .addShard(AddShardRequest.getDefaultInstance());
        assertThat(added.getShardId()).isEqualTo(2);
        assertThat(added.getPartitionsToMove()).isBetween(1, 64);
        assertThat(added.getMap().getPartitionMovesList()).allSatisfy(m -> assertThat(m.getToShard()).isEqualTo(2));
        ClusterMap grown = awaitNoMoves(admin);
        assertThat(grown.getAssignmentList()).filteredOn(s -> s == 2).hasSize(added.getPartitionsToMove());

        admin.withDeadlineAfter(30, TimeUnit.SECONDS).removeShard(RemoveShardRequest.newBuilder().setShardId(0).build());
        ClusterMap shrunk = awaitNoMoves(admin);
        assertThat(shrunk.getShardsList()).extracting(ShardInfo::getId).containsExactly(1, 2);
        assertThat(new HashSet<>(shrunk.getAssignmentList())).containsExactlyInAnyOrder(1, 2);
        MiniCluster.await("every node to drop shard 0's replica", Duration.ofSeconds(30),
            () -> cluster.replicaNodes(ShardId.of(0)).isEmpty());

        int writesAtEnd = writes.get();
        MiniCluster.await("a few more writes after the reshard", Duration.ofSeconds(30),
            () -> writes.get() > writesAtEnd + 20 || writerFailure.get() != null);
        writing.set(false);
        writer.join(30_000);
        assertThat(writerFailure.get()).as("a write failed during the reshard").isNull();
        assertThat(writes.get()).isGreaterThan(20);

        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          assertThat(client.get(ByteString.copyFromUtf8(e.getKey())).kv().value().toStringUtf8())
              .as("key %s", e.getKey()).isEqualTo(e.getValue());
        }
        cluster.awaitReplicasConverged(ShardId.of(1));
        cluster.awaitReplicasConverged(ShardId.of(2));
        long keys = 0;
        for (int shard : List.of(1, 2)) {
          keys += cluster.stateMachine(cluster.replicaNodes(ShardId.of(shard)).get(0), ShardId.of(shard)).keyCount();
        }
        assertThat(keys).as("no key lost or left twice").isEqualTo(acknowledged.size());
      } finally {
        writing.set(false);
        channel.shutdownNow();
      }
    }
  }

  @Test
  void reshard_badRequests_invalidArgumentWithTheReason_mapUnchanged() {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(1).partitions(16).start()) {
      cluster.awaitLeader(ShardId.of(0));
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
      try {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        ClusterMap before = AdminCalls.map(admin);
        AdminCalls.assertRefused(() -> admin.removeShard(RemoveShardRequest.newBuilder().setShardId(0).build()), "it is the last shard");
        AdminCalls.assertRefused(() -> admin.removeShard(RemoveShardRequest.newBuilder().setShardId(7).build()), "shard 7 does not exist");
        AdminCalls.assertRefused(() -> admin.addShard(AddShardRequest.newBuilder().addReplicaNodeIds("n1").addReplicaNodeIds("n2")
            .addReplicaNodeIds("n9").build()), "'n9' is not a node");
        AdminCalls.assertRefused(() -> admin.addShard(AddShardRequest.newBuilder().addReplicaNodeIds("n1").build()),
            "keeps 3 replicas per shard");
        assertThat(AdminCalls.map(admin)).isEqualTo(before);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void put(KvClient client, Map<String, String> acknowledged, String key, String value) {
    client.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value));
    acknowledged.put(key, value);
  }

  private static ClusterMap awaitNoMoves(AdminGrpc.AdminBlockingStub admin) {
    return AdminCalls.awaitMap(admin, RESHARD_TIMEOUT, "the partition moves to finish",
        m -> m.getPartitionMovesCount() == 0 && m.getShardsList().stream().noneMatch(ShardInfo::getRemoving));
  }
}
