package ringkv.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusRequest;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;

/**
 * {@link ApiServer} on loopback: KV calls run on the Netty event loop that read them (no hand-off
 * to a thread pool), Admin and health calls, which may block, on a pool, in the call's context.
 */
class ApiServerIT {
  private static final Context.Key<String> TAG = Context.key("tag");

  private final AtomicReference<String> kvThread = new AtomicReference<>();
  private final AtomicReference<String> adminThread = new AtomicReference<>();
  private final AtomicReference<String> adminTag = new AtomicReference<>();
  private final CountDownLatch releaseBlockedAdmin = new CountDownLatch(1);
  private ApiServer server;
  private ManagedChannel channel;

  private final class RecordingKv extends KVGrpc.KVImplBase {
    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> response) {
      kvThread.set(Thread.currentThread().getName());
      response.onNext(PutResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final class RecordingAdmin extends AdminGrpc.AdminImplBase {
    @Override
    public void getClusterMap(GetClusterMapRequest request, StreamObserver<GetClusterMapResponse> response) {
      adminThread.set(Thread.currentThread().getName());
      adminTag.set(TAG.get());
      response.onNext(GetClusterMapResponse.newBuilder().setMap(ClusterMap.getDefaultInstance()).build());
      response.onCompleted();
    }

    /** Stands for a call that waits, as a drain does. */
    @Override
    public void getClusterStatus(GetClusterStatusRequest request, StreamObserver<GetClusterStatusResponse> response) {
      try {
        releaseBlockedAdmin.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      response.onNext(GetClusterStatusResponse.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void getNodeStatus(ringkv.api.v1.GetNodeStatusRequest request,
        StreamObserver<ringkv.api.v1.GetNodeStatusResponse> response) {
      throw new IllegalStateException("boom");
    }
  }

  @BeforeEach
  void start() {
    // like the request-context interceptor: puts a value into the call's gRPC context
    ServerInterceptor tagging = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        return Contexts.interceptCall(Context.current().withValue(TAG, "tagged"), call, headers, next);
      }
    };
    HealthStatusManager health = new HealthStatusManager();
    server = new ApiServer("127.0.0.1", 0, 1 << 20, 1, health, tagging, new RecordingKv(), new RecordingAdmin());
    server.start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    releaseBlockedAdmin.countDown();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void kvCall_runsOnTheEventLoop_adminCallOnThePool_inTheCallsContext() {
    KVGrpc.newBlockingStub(channel).put(PutRequest.getDefaultInstance());
    AdminGrpc.newBlockingStub(channel).getClusterMap(GetClusterMapRequest.getDefaultInstance());

    assertThat(kvThread.get()).startsWith("api-event-loop-");
    assertThat(adminThread.get()).startsWith("api-blocking-call-");
    assertThat(adminTag.get()).isEqualTo("tagged");
  }

  @Test
  void aBlockedAdminCall_doesNotHoldUpKvCallsOrHealthChecks() throws Exception {
    CompletableFuture<GetClusterStatusResponse> blocked = CompletableFuture.supplyAsync(
        () -> AdminGrpc.newBlockingStub(channel).getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));

    for (int i = 0; i < 20; i++) {
      KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.getDefaultInstance());
    }
    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(blocked).isNotDone();

    releaseBlockedAdmin.countDown();
    assertThat(blocked.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void anAdminHandlerThatThrows_failsItsCall_withUnknown() {
    assertThatThrownBy(() -> AdminGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .getNodeStatus(ringkv.api.v1.GetNodeStatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN));
  }
}
