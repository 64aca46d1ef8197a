package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.client.KvClient;
import ringkv.server.testing.MiniCluster;

/**
 * Admin/MoveReplica on four real nodes with one shard of three replicas: the replica moves to the
 * fourth node with the data (same digest), the old node drops its copy, the cluster keeps
 * serving, and bad requests are refused with their reason and change nothing.
 */
class ReplicaMoveIT {
  private static ClusterMap map(AdminGrpc.AdminBlockingStub admin) {
    return admin.getClusterMap(GetClusterMapRequest.getDefaultInstance()).getMap();
  }

  @Test
  void moveReplica_toTheFourthNode_dataMovesAlong_oldNodeDropsItsCopy() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(4).shards(1).start()) {
      cluster.awaitLeader(MiniCluster.FIRST_SHARD);
      KvClient client = cluster.newClient();
      for (int i = 0; i < 200; i++) {
        client.put(ByteString.copyFromUtf8("key-" + i), ByteString.copyFromUtf8("value-" + i));
      }
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
      try {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS);
        List<String> before = map(admin).getShards(0).getReplicasList();
        String spare = List.of("n1", "n2", "n3", "n4").stream().filter(n -> !before.contains(n)).findFirst().orElseThrow();
        String from = before.get(0);
        long epochBefore = map(admin).getEpoch();

        ClusterMap after = admin.moveReplica(MoveReplicaRequest.newBuilder().setShardId(0).setFromNodeId(from)
            .setToNodeId(spare).setWait(true).build()).getMap();

        assertThat(after.getShards(0).hasMove()).isFalse();
        assertThat(after.getShards(0).getReplicasList()).containsExactly(spare, before.get(1), before.get(2));
        assertThat(after.getEpoch()).isEqualTo(epochBefore + 2);
        int spareIndex = Integer.parseInt(spare.substring(1)) - 1;
        int fromIndex = Integer.parseInt(from.substring(1)) - 1;
        MiniCluster.await("the old node to drop its replica", Duration.ofSeconds(30),
            () -> !cluster.replicaNodes(MiniCluster.FIRST_SHARD).contains(fromIndex));
        assertThat(cluster.replicaNodes(MiniCluster.FIRST_SHARD)).contains(spareIndex).hasSize(3);
        cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
        assertThat(cluster.stateMachine(spareIndex, MiniCluster.FIRST_SHARD).keyCount()).isEqualTo(200);
        // still serving, through every node, the old one included
        client.put(ByteString.copyFromUtf8("after-move"), ByteString.copyFromUtf8("ok"));
        for (int i = 0; i < 4; i++) {
          try (KvClient through = cluster.newClient(List.of(cluster.apiEndpoint(i)))) {
            assertThat(through.get(ByteString.copyFromUtf8("key-7")).kv().value().toStringUtf8()).isEqualTo("value-7");
            assertThat(through.get(ByteString.copyFromUtf8("after-move")).found()).isTrue();
          }
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void moveReplica_badRequests_invalidArgumentWithTheReason_mapUnchanged() {
    try (MiniCluster cluster = MiniCluster.builder().nodes(4).shards(1).start()) {
      cluster.awaitLeader(MiniCluster.FIRST_SHARD);
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(1), InsecureChannelCredentials.create()).build();
      try {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        ClusterMap before = map(admin);
        List<String> replicas = before.getShards(0).getReplicasList();
        String spare = List.of("n1", "n2", "n3", "n4").stream().filter(n -> !replicas.contains(n)).findFirst().orElseThrow();
        assertRefused(admin, 0, spare, "n9", "holds no replica of shard 0");
        assertRefused(admin, 0, replicas.get(0), "n9", "'n9' is not a node");
        assertRefused(admin, 0, replicas.get(0), replicas.get(1), "already holds a replica");
        assertRefused(admin, 5, replicas.get(0), spare, "shard 5 does not exist");
        assertThat(map(admin)).isEqualTo(before);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void assertRefused(AdminGrpc.AdminBlockingStub admin, int shard, String from, String to, String reason) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> admin.moveReplica(
        MoveReplicaRequest.newBuilder().setShardId(shard).setFromNodeId(from).setToNodeId(to).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(reason);
  }
}
