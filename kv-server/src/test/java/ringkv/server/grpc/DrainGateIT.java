package ringkv.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorDetail;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;

/**
 * {@link DrainGate} on a real gRPC server (loopback) in front of a KV service whose puts are
 * answered only when the test says so: the gate counts calls in flight, refuses new ones once closed,
 * and counts a call that was in flight as finished when it completes or its caller cancels it.
 */
class DrainGateIT {
  private final CountDownLatch started = new CountDownLatch(2);
  private final List<StreamObserver<PutResponse>> held = new CopyOnWriteArrayList<>();
  private final DrainGate gate = new DrainGate("n7", () -> 42);
  private Server server;
  private ManagedChannel channel;

  /**
   * Holds every put unanswered until {@link #answer} (asynchronously, as KvGrpcService answers
   * once Raft has committed: a handler that blocked its thread would also hold back the call's
   * cancellation, which gRPC delivers on the same serialized executor).
   */
  private final class HeldPuts extends KVGrpc.KVImplBase {
    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> response) {
      held.add(response);
      started.countDown();
    }
  }

  private void answer(int call) {
    held.get(call).onNext(PutResponse.getDefaultInstance());
    held.get(call).onCompleted();
  }

  @BeforeEach
  void start() throws Exception {
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(ServerInterceptors.intercept(new HeldPuts(), gate)).build().start();
    channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ListenableFuture<PutResponse> put() {
    return KVGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
  }

  @Test
  void close_refusesNewCalls_callsInFlightFinishAndAreCounted() throws Exception {
    ListenableFuture<PutResponse> first = put();
    assertThat(awaitHeld(1)).isTrue();
    ListenableFuture<PutResponse> cancelled = put();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gate.inFlight()).isEqualTo(2);

    gate.close();
    ExecutionException failure = catchThrowableOfType(ExecutionException.class, () -> put().get(30, TimeUnit.SECONDS));
    assertThat(failure.getCause()).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException refused = (StatusRuntimeException) failure.getCause();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .isEqualTo("node n7 is draining (about to stop); send the request to another node");
    ErrorDetail detail = detail(refused);
    assertThat(detail.getReason()).isEqualTo(ErrorReason.NODE_STOPPING);
    assertThat(detail.getEpoch()).isEqualTo(42);
    assertThat(detail.getMayHaveBeenApplied()).isFalse();
    assertThat(gate.inFlight()).as("a refused call is not counted").isEqualTo(2);

    cancelled.cancel(true);
    awaitTrue(() -> gate.inFlight() == 1, "the cancelled call to leave the count");
    answer(0);
    first.get(30, TimeUnit.SECONDS);
    awaitTrue(() -> gate.inFlight() == 0, "the released call to leave the count");
    assertThat(gate.finishedSinceClose()).isEqualTo(2);
  }

  @Test
  void openGate_countsNothingAsFinishedSinceClose() throws Exception {
    ListenableFuture<PutResponse> call = put();
    awaitTrue(() -> held.size() == 1, "the put to arrive");
    answer(0);
    call.get(30, TimeUnit.SECONDS);
    awaitTrue(() -> gate.inFlight() == 0, "the call to leave the count");
    assertThat(gate.finishedSinceClose()).isZero();
    assertThat(gate.isClosed()).isFalse();
  }

  /** Waits until {@code count} puts are held (so that call 0 is the first one sent). */
  private boolean awaitHeld(int count) throws InterruptedException {
    awaitTrue(() -> held.size() >= count, count + " held puts");
    return true;
  }

  /** The server side of a call ends a moment after the client sees its answer: poll. */
  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static ErrorDetail detail(StatusRuntimeException e) throws InvalidProtocolBufferException {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        return any.unpack(ErrorDetail.class);
      }
    }
    throw new AssertionError("no ErrorDetail in " + e.getStatus());
  }
}
