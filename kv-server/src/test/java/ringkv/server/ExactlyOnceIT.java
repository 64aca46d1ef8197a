package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.Compare;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.RequestOp;
import ringkv.api.v1.TxnRequest;
import ringkv.api.v1.TxnResponse;
import ringkv.api.v1.WriteId;
import ringkv.server.testing.MiniCluster;
import ringkv.server.testing.ReplyDroppingProxy;

/**
 * The reply of a write is lost (the request arrived and was applied); the caller retries the
 * same request, with the same write id, through another node: it is applied once and the retry
 * gets the original answer.
 */
class ExactlyOnceIT {
  private static MiniCluster cluster;
  private static ReplyDroppingProxy proxy;
  private static ManagedChannel direct;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(3);
    String[] hostPort = cluster.apiEndpoint(0).split(":");
    proxy = new ReplyDroppingProxy(hostPort[0], Integer.parseInt(hostPort[1]));
    direct = Grpc.newChannelBuilder(cluster.apiEndpoint(1), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (direct != null) {
      direct.shutdownNow();
      proxy.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** Each test is its own client: sequences of one client only grow, and lower ones are refused. */
  private static WriteId writeId(String client, long sequence) {
    return WriteId.newBuilder().setClientId(bytes(client)).setSequence(sequence).setFirstIncompleteSequence(sequence).build();
  }

  /**
   * Sends through the proxy with replies dropped: the call times out although it was applied.
   * Each time on a new connection, set up while replies still flow: after lost replies an HTTP/2
   * connection is out of sync (header compression state) and unusable.
   */
  private static <T> void sendAndLoseTheReply(java.util.function.Function<KVGrpc.KVBlockingStub, T> call) {
    ManagedChannel viaProxy = Grpc.newChannelBuilder(proxy.endpoint(), InsecureChannelCredentials.create()).build();
    KVGrpc.newBlockingStub(viaProxy).withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder().setKey(bytes("warm")).build());
    proxy.dropReplies(true);
    try {
      StatusRuntimeException lost = catchThrowableOfType(StatusRuntimeException.class,
          () -> call.apply(KVGrpc.newBlockingStub(viaProxy).withDeadlineAfter(3, TimeUnit.SECONDS)));
      assertThat(lost.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    } finally {
      proxy.dropReplies(false);
      viaProxy.shutdownNow();
    }
  }

  private static KVGrpc.KVBlockingStub directStub() {
    return KVGrpc.newBlockingStub(direct).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Test
  void putWhoseReplyWasLost_retriedWithTheSameWriteId_isAppliedOnce() {
    PutRequest put = PutRequest.newBuilder().setKey(bytes("lost-put")).setValue(bytes("v")).setWriteId(writeId("client-put", 1)).build();
    sendAndLoseTheReply(stub -> stub.put(put));
    MiniCluster.await("the lost put to be applied", java.time.Duration.ofSeconds(30),
        () -> directStub().get(GetRequest.newBuilder().setKey(bytes("lost-put")).build()).getFound());
    long appliedAt = directStub().get(GetRequest.newBuilder().setKey(bytes("lost-put")).build()).getKv().getModRevision();

    PutResponse retry = directStub().put(put);
    assertThat(retry.getHeader().getRevision()).as("the original answer").isEqualTo(appliedAt);
    var after = directStub().get(GetRequest.newBuilder().setKey(bytes("lost-put")).build()).getKv();
    assertThat(after.getVersion()).as("applied once").isEqualTo(1);
  }

  @Test
  void casWhoseReplyWasLost_retried_answersSucceededAgain_thoughItsConditionNoLongerHolds() {
    directStub().put(PutRequest.newBuilder().setKey(bytes("lost-cas")).setValue(bytes("old")).build());
    TxnRequest cas = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes("lost-cas")).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(bytes("old")))
        .addSuccess(RequestOp.newBuilder().setPut(PutRequest.newBuilder().setKey(bytes("lost-cas")).setValue(bytes("new"))))
        .setWriteId(writeId("client-cas", 1))
        .build();
    sendAndLoseTheReply(stub -> stub.txn(cas));
    MiniCluster.await("the lost CAS to be applied", java.time.Duration.ofSeconds(30),
        () -> directStub().get(GetRequest.newBuilder().setKey(bytes("lost-cas")).build()).getKv().getValue().equals(bytes("new")));

    // Executed again, the compare (value == "old") would now fail; deduplicated, it answers as it did.
    TxnResponse retry = directStub().txn(cas);
    assertThat(retry.getSucceeded()).isTrue();
    var after = directStub().get(GetRequest.newBuilder().setKey(bytes("lost-cas")).build()).getKv();
    assertThat(after.getVersion()).as("one put plus one CAS").isEqualTo(2);
    assertThat(retry.getHeader().getRevision()).isEqualTo(after.getModRevision());
  }
}
