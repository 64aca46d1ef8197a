package ringkv.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;

/**
 * {@link ApiServer} on loopback: KV calls run on the Netty event loop that read them (no hand-off
 * to gRPC's thread pool), Admin calls, which may block, on gRPC's pool.
 */
class ApiServerIT {
  private final Semaphore callsStarted = new Semaphore(0);
  private final AtomicReference<String> kvThread = new AtomicReference<>();
  private final AtomicReference<String> adminThread = new AtomicReference<>();
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
      response.onNext(GetClusterMapResponse.newBuilder().setMap(ClusterMap.getDefaultInstance()).build());
      response.onCompleted();
    }
  }

  @BeforeEach
  void start() {
    // Interceptors run when gRPC starts the call, after ApiServer's executor supplier has chosen
    // the call's executor: from then on the call's events run on that executor.
    ServerInterceptor passThrough = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(io.grpc.ServerCall<ReqT, RespT> call,
          Metadata headers, io.grpc.ServerCallHandler<ReqT, RespT> next) {
        callsStarted.release();
        return next.startCall(call, headers);
      }
    };
    server = new ApiServer("127.0.0.1", 0, 1 << 20, new HealthStatusManager(), passThrough, new RecordingKv(),
        new RecordingAdmin());
    server.start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  /**
   * gRPC always starts a call (method lookup, interceptors, the executor supplier) on its default
   * pool; events that arrived with the call's headers are drained there too. So the request is
   * completed (half-closed) only once the server has started the call: the unary handler then runs
   * on the executor the supplier chose, never by the accident of arrival order.
   */
  private <ReqT, RespT> void callAfterTheServerStartedIt(MethodDescriptor<ReqT, RespT> method, ReqT request)
      throws Exception {
    ClientCall<ReqT, RespT> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(request);
    // a unary handler runs when the request is complete (half-close), so that is what waits
    assertThat(callsStarted.tryAcquire(10, TimeUnit.SECONDS)).as("the server started the call").isTrue();
    call.halfClose();
    assertThat(closed.get(10, TimeUnit.SECONDS).isOk()).isTrue();
  }

  @Test
  void kvCall_runsOnTheEventLoop_adminCallOnTheThreadPool() throws Exception {
    callAfterTheServerStartedIt(KVGrpc.getPutMethod(), PutRequest.getDefaultInstance());
    callAfterTheServerStartedIt(AdminGrpc.getGetClusterMapMethod(), GetClusterMapRequest.getDefaultInstance());

    assertThat(kvThread.get()).startsWith("grpc-default-worker");
    assertThat(adminThread.get()).startsWith("grpc-default-executor");
  }
}
