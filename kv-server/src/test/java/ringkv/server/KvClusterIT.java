package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.WriteId;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.client.PutResult;
import ringkv.client.WriteOptions;
import ringkv.server.testing.MiniCluster;

/** One shard of 3 replicas on 3 in-JVM nodes, driven through the real client and raw gRPC. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvClusterIT {
  private static MiniCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = MiniCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  @Order(1)
  void putGetDelete_throughEachNode_seesEveryOtherNodesWrites() {
    for (int i = 0; i < cluster.size(); i++) {
      KvClient viaNode = cluster.newClient(List.of(cluster.apiEndpoint(i)));
      PutResult put = viaNode.put(bytes("k" + i), bytes("v" + i));
      assertThat(put.revision()).isPositive();
      for (int j = 0; j < cluster.size(); j++) {
        KvClient reader = cluster.newClient(List.of(cluster.apiEndpoint(j)));
        GetResult got = reader.get(bytes("k" + i));
        assertThat(got.found()).isTrue();
        assertThat(got.kv().value().toStringUtf8()).isEqualTo("v" + i);
        assertThat(got.kv().version()).isEqualTo(1);
        assertThat(got.kv().modRevision()).isEqualTo(put.revision());
        assertThat(got.meta().revision()).isGreaterThanOrEqualTo(put.revision());
      }
    }
    KvClient client = cluster.newClient(List.of(cluster.apiEndpoint(2)));
    PutResult second = client.put(bytes("k0"), bytes("v0-2"), WriteOptions.RETURN_PREVIOUS);
    assertThat(second.previous().value().toStringUtf8()).isEqualTo("v0");
    GetResult afterSecond = client.get(bytes("k0"));
    assertThat(afterSecond.kv().version()).isEqualTo(2);
    assertThat(afterSecond.kv().createRevision()).isLessThan(afterSecond.kv().modRevision());

    DeleteResult deleted = client.delete(bytes("k0"), WriteOptions.RETURN_PREVIOUS);
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.previous().value().toStringUtf8()).isEqualTo("v0-2");
    assertThat(client.get(bytes("k0")).found()).isFalse();
    assertThat(client.delete(bytes("k0")).deleted()).isFalse();
  }

  @Test
  @Order(2)
  void writeToFollower_isForwardedToLeader_andHeaderNamesTheLeader() {
    int leader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
    int follower = (leader + 1) % cluster.size();
    KvClient viaFollower = cluster.newClient(List.of(cluster.apiEndpoint(follower)));
    PutResult put = viaFollower.put(bytes("forwarded"), bytes("yes"));
    assertThat(put.meta().nodeId()).isEqualTo(cluster.config(follower).nodeId().value());
    assertThat(put.meta().leaderId()).isEqualTo(cluster.config(leader).nodeId().value());
    assertThat(put.meta().shardId()).isEqualTo(0);
    assertThat(put.meta().epoch()).isPositive();
  }

  @Test
  @Order(3)
  void retriedPut_withSameClientIdAndSequence_isAppliedOnce() throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
    try {
      KVGrpc.KVBlockingStub stub = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      WriteId id = WriteId.newBuilder().setClientId(bytes("0123456789abcdef")).setSequence(7).setFirstIncompleteSequence(7).build();
      PutRequest request = PutRequest.newBuilder().setKey(bytes("once")).setValue(bytes("v")).setWriteId(id).build();
      PutResponse first = stub.put(request);
      PutResponse retry = stub.put(request);
      // a retry through another node is a duplicate too
      ManagedChannel other = Grpc.newChannelBuilder(cluster.apiEndpoint(1), InsecureChannelCredentials.create()).build();
      PutResponse retryElsewhere;
      try {
        retryElsewhere = KVGrpc.newBlockingStub(other).withDeadlineAfter(30, TimeUnit.SECONDS).put(request);
      } finally {
        other.shutdownNow();
      }
      assertThat(retry.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision());
      assertThat(retryElsewhere.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision());
      var got = stub.get(GetRequest.newBuilder().setKey(bytes("once")).build());
      assertThat(got.getKv().getVersion()).as("applied once").isEqualTo(1);
      assertThat(got.getKv().getModRevision()).isEqualTo(first.getHeader().getRevision());

      // a new sequence of the same client is a new write
      PutResponse next = stub.put(request.toBuilder().setWriteId(id.toBuilder().setSequence(8)).build());
      assertThat(next.getHeader().getRevision()).isGreaterThan(first.getHeader().getRevision());
      assertThat(stub.get(GetRequest.newBuilder().setKey(bytes("once")).build()).getKv().getVersion()).isEqualTo(2);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(4)
  void killLeader_newLeaderElected_everyAcknowledgedWriteReadable_thenRestartedNodeCatchesUp() {
    KvClient client = cluster.newClient();
    Map<String, String> acknowledged = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      client.put(bytes("before-" + i), bytes("value-" + i));
      acknowledged.put("before-" + i, "value-" + i);
    }
    int oldLeader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
    long oldLeaderDigest = cluster.stateMachine(oldLeader, MiniCluster.FIRST_SHARD).stateDigest();
    cluster.kill(oldLeader);

    int newLeader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
    assertThat(newLeader).isNotEqualTo(oldLeader);
    // writes during the outage succeed through the client's retries
    for (int i = 0; i < 100; i++) {
      client.put(bytes("during-" + i), bytes("value-" + i));
      acknowledged.put("during-" + i, "value-" + i);
    }
    acknowledged.forEach((k, v) -> assertThat(client.get(bytes(k)).kv().value().toStringUtf8()).as(k).isEqualTo(v));

    cluster.restart(oldLeader);
    cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
    assertThat(cluster.stateMachine(oldLeader, MiniCluster.FIRST_SHARD).stateDigest()).isNotEqualTo(oldLeaderDigest);
    assertThat(cluster.stateMachine(oldLeader, MiniCluster.FIRST_SHARD).keyCount())
        .isEqualTo(cluster.stateMachine(newLeader, MiniCluster.FIRST_SHARD).keyCount());
    // the restarted node answers through its own API too
    KvClient viaRestarted = cluster.newClient(List.of(cluster.apiEndpoint(oldLeader)));
    acknowledged.forEach((k, v) -> assertThat(viaRestarted.get(bytes(k)).kv().value().toStringUtf8()).as(k).isEqualTo(v));
  }

  @Test
  @Order(5)
  void concurrentAsyncWrites_allAcknowledgedAndReadable() {
    KvClient client = cluster.newClient();
    List<java.util.concurrent.CompletableFuture<PutResult>> futures = new ArrayList<>();
    IntStream.range(0, 500).forEach(i -> futures.add(client.async().put(bytes("async-" + i), bytes("v" + i))));
    futures.forEach(java.util.concurrent.CompletableFuture::join);
    IntStream.range(0, 500).forEach(i -> assertThat(client.get(bytes("async-" + i)).kv().value().toStringUtf8()).isEqualTo("v" + i));
    cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
  }
}
