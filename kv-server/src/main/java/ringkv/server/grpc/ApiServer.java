package ringkv.server.grpc;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final ExecutorService blockingCalls;
  private final EventLoops eventLoops;

  /**
   * @param eventLoopThreads Netty event-loop threads that read, run and answer the calls (KV calls
   *     run on them from start to reply, below)
   */
  public ApiServer(String host, int port, int maxMessageBytes, int eventLoopThreads, HealthStatusManager health,
      ServerInterceptor metrics, BindableService... services) {
    this.health = health;
    this.eventLoops = EventLoops.of(eventLoopThreads);
    this.blockingCalls = Executors.newCachedThreadPool(
        new ThreadFactoryBuilder().setDaemon(true).setNameFormat("api-blocking-call-%d").build());
    BlockingCallOffload offload = new BlockingCallOffload(blockingCalls);
    // KV calls run on the Netty event loop that read them, from the call's start to its reply:
    // no hand-off to a thread pool on the way of any request. On 2 cores each hand-off is a
    // thread wake-up that costs CPU (docs/benchmarks.md, "Making it fast", steps 6 and 9). Safe
    // because the KV handlers and the interceptors never block: they validate, route and return
    // a future that group commit, the local leader or the Ratis client complete on their own
    // threads. Every other service may block (a drain waits for leaderships to move) and runs on
    // a pool instead (BlockingCallOffload).
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize(maxMessageBytes)
        .bossEventLoopGroup(eventLoops.boss())
        .workerEventLoopGroup(eventLoops.workers())
        .channelType(eventLoops.channelType())
        .directExecutor()
        .intercept(metrics)
        .intercept(new RequestContextInterceptor())
        .addService(ServerInterceptors.intercept(health.getHealthService(), offload))
        .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), offload));
    for (BindableService service : services) {
      ServerServiceDefinition definition = service.bindService();
      boolean kv = KVGrpc.SERVICE_NAME.equals(definition.getServiceDescriptor().getName());
      builder.addService(kv ? definition : ServerInterceptors.intercept(definition, offload));
    }
    this.server = builder.build();
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
    } finally {
      blockingCalls.shutdownNow(); // after the server: its last calls needed the pool
      eventLoops.close();
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
