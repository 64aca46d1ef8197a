package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.Consistency;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.client.KvClient;
import ringkv.client.PutResult;
import ringkv.client.ReadOptions;
import ringkv.server.testing.MiniCluster;

/** LINEARIZABLE, SERIALIZABLE and min_revision reads, served by a follower's node. */
class ConsistencyIT {
  private static MiniCluster cluster;
  private static ManagedChannel followerChannel;
  private static KVGrpc.KVBlockingStub follower;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(3);
    int leader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
    followerChannel = Grpc.newChannelBuilder(cluster.apiEndpoint((leader + 1) % 3), InsecureChannelCredentials.create()).build();
    follower = KVGrpc.newBlockingStub(followerChannel);
  }

  @AfterAll
  static void stop() {
    if (followerChannel != null) {
      followerChannel.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static GetResponse get(String key, Consistency consistency, long minRevision) {
    return follower.withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setConsistency(consistency).setMinRevision(minRevision).build());
  }

  @Test
  void linearizableReadOnAFollowersNode_afterAnAcknowledgedWrite_alwaysSeesIt() {
    KvClient writer = cluster.newClient();
    for (int i = 0; i < 100; i++) {
      writer.put(ByteString.copyFromUtf8("lin"), ByteString.copyFromUtf8("v" + i));
      assertThat(get("lin", Consistency.LINEARIZABLE, 0).getKv().getValue().toStringUtf8()).isEqualTo("v" + i);
    }
  }

  @Test
  void minRevisionRead_onAFollower_seesTheWriteItWaitedFor() {
    KvClient writer = cluster.newClient();
    for (int i = 0; i < 50; i++) {
      PutResult put = writer.put(ByteString.copyFromUtf8("ryw"), ByteString.copyFromUtf8("v" + i));
      GetResponse got = get("ryw", Consistency.SERIALIZABLE, put.revision());
      assertThat(got.getKv().getValue().toStringUtf8()).isEqualTo("v" + i);
      assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(put.revision());
    }
    // the client's form of the same
    PutResult put = writer.put(ByteString.copyFromUtf8("ryw"), ByteString.copyFromUtf8("last"));
    assertThat(writer.get(ByteString.copyFromUtf8("ryw"), ReadOptions.atLeast(put.revision())).kv().value().toStringUtf8()).isEqualTo("last");
  }

  @Test
  void serializableReadsOnOneReplica_mayLag_butNeverGoBackwards() throws Exception {
    KvClient writer = cluster.newClient();
    writer.put(ByteString.copyFromUtf8("mono"), ByteString.copyFromUtf8("0"));
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> writes = pool.submit(() -> {
      for (int i = 1; i <= 300; i++) {
        writer.put(ByteString.copyFromUtf8("mono"), ByteString.copyFromUtf8(Integer.toString(i)));
      }
      writing.set(false);
      return null;
    });
    long lastValue = -1;
    long lastRevision = -1;
    int reads = 0;
    while (writing.get() || reads < 50) {
      GetResponse got = get("mono", Consistency.SERIALIZABLE, 0);
      // the follower may not have applied even the first put yet: "absent" ranks before every value
      long value = got.hasKv() ? Long.parseLong(got.getKv().getValue().toStringUtf8()) : -1;
      assertThat(value).as("value never older than an earlier read").isGreaterThanOrEqualTo(lastValue);
      assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(lastRevision);
      lastValue = value;
      lastRevision = got.getHeader().getRevision();
      reads++;
    }
    writes.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(reads).isGreaterThanOrEqualTo(50);
  }

  @Test
  void unknownConsistencyValue_isInvalidArgument() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
        follower.withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("k")).setConsistencyValue(7).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("consistency");
  }
}
