package ringkv.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
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
    ServerInterceptor passThrough = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(io.grpc.ServerCall<ReqT, RespT> call,
          io.grpc.Metadata headers, io.grpc.ServerCallHandler<ReqT, RespT> next) {
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

  @Test
  void kvCall_runsOnTheEventLoop_adminCallOnTheThreadPool() {
    KVGrpc.newBlockingStub(channel).put(PutRequest.getDefaultInstance());
    AdminGrpc.newBlockingStub(channel).getClusterMap(GetClusterMapRequest.getDefaultInstance());

    assertThat(kvThread.get()).startsWith("grpc-default-worker");
    assertThat(adminThread.get()).startsWith("grpc-default-executor");
  }
}
