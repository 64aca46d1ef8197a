package ringkv.client.internal;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.KVGrpc;

/**
 * One gRPC channel per node endpoint, created on first use and shared by all calls. Endpoints
 * learned from servers (leader hints) are added as they appear.
 */
final class ChannelPool implements AutoCloseable {
  /** Room for a 1 MiB value plus headers, so oversize answers are never cut by gRPC itself. */
  static final int MAX_MESSAGE_BYTES = 8 << 20;

  private final Set<String> configured;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, KVGrpc.KVFutureStub> stubs = new ConcurrentHashMap<>();
  private final Map<String, AdminGrpc.AdminFutureStub> adminStubs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ChannelPool(Set<String> configured) {
    this.configured = Set.copyOf(configured);
  }

  KVGrpc.KVFutureStub stub(String endpoint) {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    return stubs.computeIfAbsent(endpoint, e -> KVGrpc.newFutureStub(channel(e)));
  }

  AdminGrpc.AdminFutureStub adminStub(String endpoint) {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    return adminStubs.computeIfAbsent(endpoint, e -> AdminGrpc.newFutureStub(channel(e)));
  }

  private ManagedChannel channel(String endpoint) {
    return channels.computeIfAbsent(
        endpoint,
        e -> Grpc.newChannelBuilder(e, InsecureChannelCredentials.create())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build());
  }

  /** Leader hints name endpoints of the same cluster; any well-formed host:port is accepted. */
  boolean isKnownOrAllowed(String endpoint) {
    return configured.contains(endpoint) || endpoint.matches("[^\\s:]+:\\d{1,5}");
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
