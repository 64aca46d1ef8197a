package ringkv.server.grpc;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.NodeStatus;
import ringkv.router.NodeId;

/**
 * Asks every node of the map for its status, in parallel; a node that does not answer is down.
 * Its channels to the other nodes also carry the Admin calls this node forwards, and the polls of
 * {@code ringkv.server.ReplicaWriteLimits}.
 */
public final class NodeStatusCollector implements AutoCloseable {
  private static final long DEADLINE_MILLIS = 2_000;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  List<NodeStatus> collect(ClusterMap map, NodeId self, GetNodeStatusResponse selfStatus) {
    List<CompletableFuture<NodeStatus>> pending = new ArrayList<>();
    for (NodeInfo node : map.getNodesList()) {
      if (node.getId().equals(self.value())) {
        pending.add(CompletableFuture.completedFuture(NodeStatus.newBuilder().setNodeId(node.getId()).setUp(true).setStatus(selfStatus).build()));
        continue;
      }
      pending.add(CompletableFuture.supplyAsync(() -> {
        try {
          GetNodeStatusResponse status = AdminGrpc.newBlockingStub(channel(node))
              .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
              .getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
          return NodeStatus.newBuilder().setNodeId(node.getId()).setUp(true).setStatus(status).build();
        } catch (RuntimeException e) {
          return NodeStatus.newBuilder().setNodeId(node.getId()).setUp(false).setError(String.valueOf(e.getMessage())).build();
        }
      }));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  /** A channel to {@code node}'s API, kept for later calls. */
  public ManagedChannel channel(NodeInfo node) {
    String endpoint = node.getHost() + ":" + node.getApiPort();
    return channels.computeIfAbsent(endpoint, e -> Grpc.newChannelBuilder(e, InsecureChannelCredentials.create()).build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
