package ringkv.server.routing;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;
import ringkv.router.ShardId;
import ringkv.server.groups.HostedGroups;

/**
 * Hands a request straight to this node's replica of a shard when that replica leads the shard.
 *
 * <p>Why: the smart client sends each request to the node that leads its shard, so nearly every
 * request would otherwise travel from this node's Ratis client to this node's own Raft port over
 * loopback gRPC: a serialization, two Netty hops and a thread switch each way, for nothing. The
 * Raft server accepts the same request object in process.
 *
 * <p>A reply of "not leader" (leadership moved between the check and the call) means the
 * caller should send through the Ratis client instead, which follows the new leader.
 */
final class LocalLeaderRequests {
  private final HostedGroups groups;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  LocalLeaderRequests(HostedGroups groups) {
    this.groups = groups;
  }

  /** The reply of the local leader, or empty when this node's replica does not lead the shard now. */
  private Optional<CompletableFuture<RaftClientReply>> submitIfLeader(ShardId shard, Message message, RaftClientRequest.Type type) {
    Optional<RaftServer> server = groups.localServer();
    if (server.isEmpty() || !groups.isLocalLeader(shard)) {
      return Optional.empty();
    }
    RaftGroupId groupId = groups.shardGroupId(shard);
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(server.get().getId())
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(message)
        .setType(type)
        .build();
    try {
      return Optional.of(server.get().submitClientRequestAsync(request));
    } catch (java.io.IOException e) {
      return Optional.of(CompletableFuture.failedFuture(e));
    }
  }

  /**
   * The local leader's reply, decoded; or, when this node's replica does not lead the shard (or
   * stopped leading it before answering), whatever {@code elsewhere} gives.
   */
  <T> CompletableFuture<T> submitOr(ShardId shard, Message message, RaftClientRequest.Type type,
      Function<RaftClientReply, T> decode, Supplier<CompletableFuture<T>> elsewhere) {
    Optional<CompletableFuture<RaftClientReply>> local = submitIfLeader(shard, message, type);
    if (local.isEmpty()) {
      return elsewhere.get();
    }
    return local.get()
        .thenCompose(reply -> notLeader(reply, null) ? elsewhere.get() : CompletableFuture.completedFuture(decode.apply(reply)))
        .exceptionallyCompose(error -> notLeader(null, error) ? elsewhere.get() : CompletableFuture.failedFuture(error));
  }

  /** True when a reply says the local replica was not (or no longer) the ready leader. */
  private static boolean notLeader(RaftClientReply reply, Throwable error) {
    Throwable failure = error != null ? unwrap(error) : (reply.isSuccess() ? null : reply.getException());
    return failure instanceof NotLeaderException || failure instanceof LeaderNotReadyException;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
