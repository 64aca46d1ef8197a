package ringkv.server.groups;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetMapQuery;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MetaQuery;
import ringkv.api.v1.MetaResult;
import ringkv.raft.codec.CommandCodec;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.meta.ClusterMapEditor;
import ringkv.raft.meta.MetaRejectedException;

/**
 * Talks to the meta group's leader from any node: submits map changes and reads the map
 * linearizably. The client follows the meta group's membership as the map records it.
 */
public final class MetaClient implements AutoCloseable {
  private final HostedGroups groups;
  private final RaftProperties properties;
  private @Nullable RaftGroup clientGroup;
  private @Nullable RaftClient client;
  private boolean closed;

  public MetaClient(HostedGroups groups, RaftTuning tuning) {
    this.groups = groups;
    this.properties = tuning.toClientProperties();
  }

  /** Applies {@code command} on the meta group; fails with {@link MetaRejectedException} if refused. */
  public CompletableFuture<ClusterMap> submit(MetaCommand command) {
    MetaCommand versioned = command.toBuilder().setFormatVersion(ClusterMapEditor.formatVersionOf(command)).build();
    return call(c -> c.async().send(CommandCodec.encode(versioned)));
  }

  /** The current map, read through the meta leader (linearizable). */
  public CompletableFuture<ClusterMap> read() {
    MetaQuery query = MetaQuery.newBuilder().setGetMap(GetMapQuery.getDefaultInstance()).build();
    return call(c -> c.async().sendReadOnly(CommandCodec.encode(query)));
  }

  private interface Call {
    CompletableFuture<RaftClientReply> send(RaftClient client);
  }

  private CompletableFuture<ClusterMap> call(Call call) {
    RaftClient c;
    try {
      c = client();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.send(c).thenApply(reply -> {
      if (!reply.isSuccess()) {
        if (reply.getException() instanceof RaftRetryFailureException || reply.getException() instanceof AlreadyClosedException) {
          discard(c);
        }
        throw new CompletionException(reply.getException());
      }
      MetaResult result = parse(reply);
      if (result.hasRejected()) {
        throw new MetaRejectedException(result.getRejected().getReason(), result.getRejected().getMessage());
      }
      return result.getMap();
    }).whenComplete((map, error) -> {
      if (error != null && (unwrap(error) instanceof RaftRetryFailureException || unwrap(error) instanceof AlreadyClosedException)) {
        discard(c);
      }
    });
  }

  private static MetaResult parse(RaftClientReply reply) {
    try {
      return MetaResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable meta result", e);
    }
  }

  private synchronized RaftClient client() {
    if (closed) {
      throw new IllegalStateException("meta client closed");
    }
    RaftGroup group = groups.metaGroup(groups.view().require());
    if (client == null || !group.equals(clientGroup)) {
      closeClient();
      clientGroup = group;
      client = RaftClient.newBuilder().setProperties(properties).setRaftGroup(group).setClientId(ClientId.randomId())
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(25, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
          .build();
    }
    return client;
  }

  private synchronized void discard(RaftClient broken) {
    if (client == broken) {
      closeClient();
    }
  }

  private void closeClient() {
    if (client != null) {
      RaftClients.closeBounded(client);
      client = null;
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeClient();
  }
}
