package ringkv.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
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
        .addService(ProtoReflectionServiceV1.newInstance());
    for (BindableService service : services) {
      builder.addService(service);
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
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
