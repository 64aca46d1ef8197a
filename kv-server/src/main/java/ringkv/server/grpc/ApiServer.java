package ringkv.server.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import ringkv.api.v1.KVGrpc;
import ringkv.server.NodeStartException;

/**
 * The node's gRPC API server: {@code KV}, {@code grpc.health.v1.Health} and server reflection
 * (so grpcurl and similar tools work without the protos).
 */
public final class ApiServer implements AutoCloseable {
  private final Server server;
  private final HealthStatusManager health;

  public ApiServer(String host, int port, int maxMessageBytes, HealthStatusManager health, ServerInterceptor metrics,
      BindableService... services) {
    this.health = health;
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize(maxMessageBytes)
        .intercept(metrics)
        .intercept(new RequestContextInterceptor())
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .callExecutor(new KvCallsOnEventLoop());
    for (BindableService service : services) {
      builder.addService(service);
    }
    this.server = builder.build();
  }

  /**
   * Runs the calls of the KV service on the Netty event loop that read them, instead of handing
   * each call's events (start, message, half-close, ready, close) to gRPC's default cached
   * thread pool one after the other. gRPC still starts each call (method lookup, interceptors,
   * this supplier) on its pool, and that pool thread also runs the events that arrived with the
   * call's headers; the events after that run on the event loop.
   *
   * <p>Why: on 2 cores those hand-offs took about 7 % of a node's CPU under write load (threads
   * parking and waking in the pool's SynchronousQueue; docs/benchmarks.md, "Making it fast"),
   * and each is a wake-up on the way of every request. Safe because the KV handlers never
   * block: they validate, route and return a future (group commit, the local leader or the Ratis
   * client complete it on their own threads). Admin, health and reflection calls may block (a
   * drain waits for leaderships to move) and keep the default executor.
   */
  private static final class KvCallsOnEventLoop implements ServerCallExecutorSupplier {
    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
      return KVGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
          ? MoreExecutors.directExecutor() : null;
    }
  }

  public void start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new NodeStartException("cannot listen on the API port: " + rootMessage(e), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Stops taking calls, lets running ones finish for a moment, then cuts the rest. */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
