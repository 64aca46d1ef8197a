package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.DeleteRequest;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.server.testing.MiniCluster;

/** Oversize and empty input is refused with INVALID_ARGUMENT naming the limit; nothing changes. */
class BadInputIT {
  private static MiniCluster cluster;
  private static ManagedChannel channel;
  private static KVGrpc.KVBlockingStub kv;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(3);
    channel = Grpc.newChannelBuilder(cluster.apiEndpoint(1), InsecureChannelCredentials.create())
        .maxInboundMessageSize(16 << 20).build();
    kv = KVGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static KVGrpc.KVBlockingStub stub() {
    return kv.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Test
  void put_emptyKey_invalidArgumentAndNothingWritten() {
    long before = appliedIndex();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().put(PutRequest.newBuilder().setKey(ByteString.EMPTY).setValue(ByteString.copyFromUtf8("v")).build()));
    assertInvalid(e, ErrorReason.KEY_EMPTY, "empty");
    assertThat(appliedIndex()).isEqualTo(before);
  }

  @Test
  void put_keyOver8KiB_invalidArgumentNamingTheLimit() {
    ByteString key = ByteString.copyFrom(new byte[8 * 1024 + 1]);
    long before = appliedIndex();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("v")).build()));
    assertInvalid(e, ErrorReason.KEY_TOO_LARGE, "8192");
    assertThat(detail(e).getLimit()).isEqualTo(8192);
    assertThat(detail(e).getField()).isEqualTo("key");
    assertThat(appliedIndex()).isEqualTo(before);
    assertThat(catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().get(GetRequest.newBuilder().setKey(key).build())).getStatus().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void put_valueOver1MiB_invalidArgumentNamingTheLimitAndKeyStaysAbsent() {
    ByteString key = ByteString.copyFromUtf8("big");
    ByteString value = ByteString.copyFrom(new byte[1024 * 1024 + 1]);
    long before = appliedIndex();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().put(PutRequest.newBuilder().setKey(key).setValue(value).build()));
    assertInvalid(e, ErrorReason.VALUE_TOO_LARGE, "1048576");
    assertThat(appliedIndex()).isEqualTo(before);
    assertThat(stub().get(GetRequest.newBuilder().setKey(key).build()).getFound()).isFalse();
    // exactly at the limit is fine
    stub().put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(new byte[1024 * 1024])).build());
    assertThat(stub().get(GetRequest.newBuilder().setKey(key).build()).getKv().getValue().size()).isEqualTo(1024 * 1024);
  }

  @Test
  void delete_emptyKey_invalidArgument() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().delete(DeleteRequest.newBuilder().build()));
    assertInvalid(e, ErrorReason.KEY_EMPTY, "empty");
  }

  private static void assertInvalid(StatusRuntimeException e, ErrorReason reason, String messagePart) {
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(messagePart);
    assertThat(detail(e).getReason()).isEqualTo(reason);
    assertThat(detail(e).getMayHaveBeenApplied()).isFalse();
  }

  private static ErrorDetail detail(StatusRuntimeException e) {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return any.unpack(ErrorDetail.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    throw new AssertionError("no ErrorDetail in " + e);
  }

  /** Highest applied index over the replicas: unchanged means nothing reached the log. */
  private static long appliedIndex() {
    cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
    return cluster.stateMachine(0, MiniCluster.FIRST_SHARD).appliedIndex();
  }
}
