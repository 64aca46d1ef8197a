package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.client.KvClient;
import ringkv.client.KvOverloadedException;
import ringkv.server.config.RequestLimits;
import ringkv.server.testing.MetricsScrape;
import ringkv.server.testing.MiniCluster;

/**
 * Nodes whose replicas hold {@code max-data-memory} of data: writes that add data are refused with
 * RESOURCE_EXHAUSTED (MEMORY_FULL), whether they enter a node that holds a replica or are forwarded
 * from one that does not (the leader refuses them before appending); reads and deletes go on, and
 * writes are admitted again once deletes bring the data under the limit. The limit is set in bytes,
 * small, so the test fills it with a few hundred keys rather than a heap.
 */
class MemoryFullIT {
  private static final long LIMIT = 512L << 10;
  private static final ByteString VALUE = ByteString.copyFrom(new byte[1000]);

  @Test
  void fullNodes_refuseWritesThatAddData_serveReadsAndDeletes_andRecover() throws Exception {
    // 4 nodes, 3 replicas: one node holds no replica of the shard, so its writes reach the leader forwarded
    try (MiniCluster cluster = MiniCluster.builder().nodes(4).replication(3)
        .limits(RequestLimits.DEFAULTS.withMinFreeDiskBytes(16L << 20).withMaxDataMemoryBytes(LIMIT)).start()) {
      List<Integer> replicas = cluster.replicaNodes(MiniCluster.FIRST_SHARD);
      int outsider = IntStream.range(0, cluster.size()).filter(i -> !replicas.contains(i)).findFirst().orElseThrow();
      KvClient client = cluster.newClient();

      int filled = 0;
      KvOverloadedException refused = null;
      // each key costs about 1,150 bytes by the guard's count: the limit comes after about 450 of them
      while (refused == null && filled < 2_000) {
        try {
          client.put(key(filled), VALUE);
          filled++;
        } catch (KvOverloadedException e) {
          refused = e;
        }
      }
      int written = filled;
      assertThat(refused).as("a put refused before 2,000 keys of 1 KB filled 512 KiB").isNotNull();
      assertThat(written).isBetween(300, 600);
      assertThat(refused.reason()).isEqualTo(ErrorReason.MEMORY_FULL);
      assertThat(refused.getMessage()).contains("memory full").contains("max-data-memory");
      // an overwrite may grow its value: refused too; reads still work
      assertThat(catchThrowableOfType(KvOverloadedException.class, () -> client.put(key(7), VALUE)).reason())
          .isEqualTo(ErrorReason.MEMORY_FULL);
      assertThat(client.get(key(7)).kv().value()).isEqualTo(VALUE);

      // through the node without a replica, whose own memory holds none of the shard: forwarded, and
      // refused by the leader before it appends
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(outsider), InsecureChannelCredentials.create()).build();
      try {
        StatusRuntimeException forwarded = catchThrowableOfType(StatusRuntimeException.class,
            () -> KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(key(written)).setValue(VALUE).build()));
        assertThat(forwarded).as("the put forwarded from the node without a replica was refused").isNotNull();
        assertThat(forwarded.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(forwarded.getStatus().getDescription()).contains("leader refused the write").contains("max-data-memory");
        assertThat(reasonOf(forwarded)).isEqualTo(ErrorReason.MEMORY_FULL);
      } finally {
        channel.shutdownNow();
      }
      assertThat(client.get(key(written)).found()).isFalse();
      long limitSeen = (long) MetricsScrape.of(cluster.adminUrl(replicas.get(0)))
          .sum("ringkv_node_data_memory_limit_bytes").orElseThrow();
      assertThat(limitSeen).isEqualTo(LIMIT);

      // deletes are admitted, and once the data is under the limit, so are puts
      for (int i = 0; i < 100; i++) {
        client.delete(key(i));
      }
      MiniCluster.await("writes admitted again", Duration.ofSeconds(30), () -> {
        try {
          client.put(key(written), ByteString.copyFromUtf8("after"));
          return true;
        } catch (KvOverloadedException e) {
          return false;
        }
      });
      assertThat(client.get(key(written)).kv().value().toStringUtf8()).isEqualTo("after");
      assertThat(client.get(key(0)).found()).isFalse();
      cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
      assertThat(cluster.stateMachine(replicas.get(0), MiniCluster.FIRST_SHARD).keyCount()).isEqualTo(written - 100 + 1);
    }
  }

  private static ErrorReason reasonOf(StatusRuntimeException e) throws InvalidProtocolBufferException {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        return any.unpack(ErrorDetail.class).getReason();
      }
    }
    throw new AssertionError("no ErrorDetail in " + e.getStatus());
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8("mem-" + i);
  }
}
