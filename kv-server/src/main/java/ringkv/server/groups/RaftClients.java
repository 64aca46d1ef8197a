package ringkv.server.groups;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import ringkv.raft.config.RaftTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Helpers for Ratis clients inside a node. */
public final class RaftClients {
  private static final Logger LOG = LoggerFactory.getLogger(RaftClients.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  private RaftClients() {}

  /**
   * A short-lived client for an administrative call to {@code group} (membership, snapshots):
   * a few retries over redirects and elections, then it fails rather than spin.
   */
  public static RaftClient forAdmin(RaftGroup group, RaftTuning tuning) {
    return RaftClient.newBuilder().setProperties(tuning.toClientProperties()).setRaftGroup(group)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build();
  }

  /**
   * Closes {@code client}, waiting at most a few seconds. Ratis 3.3's {@code RaftClient.close()}
   * can block forever waiting for the channel of a peer that is down (seen when a node stops
   * after another one died), and a node's shutdown must not hang on that.
   */
  public static void closeBounded(RaftClient client) {
    CompletableFuture<Void> closing = new CompletableFuture<>();
    Thread closer = new Thread(() -> {
      try {
        client.close();
        closing.complete(null);
      } catch (Exception e) {
        closing.completeExceptionally(e);
      }
    }, "ringkv-raft-client-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closing.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.debug("raft client did not close within {}; leaving it to a daemon thread", CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("closing raft client failed", e);
    }
  }

  /**
   * Creates an empty replica of group {@code groupId} on {@code peer}'s server, to be added to
   * the group by a membership change: empty, so that it cannot start elections of its own.
   * Idempotent: a replica that already exists is left as it is.
   */
  public static void addEmptyReplica(RaftGroupId groupId, RaftPeer peer, RaftTuning tuning) throws IOException {
    RaftClient toPeer = forAdmin(RaftGroup.valueOf(groupId, peer), tuning);
    try {
      toPeer.getGroupManagementApi(peer.getId()).add(RaftGroup.valueOf(groupId));
    } catch (AlreadyExistsException e) {
      // created by an earlier attempt
    } catch (IOException e) {
      if (!(e.getCause() instanceof AlreadyExistsException) && !String.valueOf(e.getMessage()).contains("already exists")) {
        throw e;
      }
    } finally {
      closeBounded(toPeer);
    }
  }

  /**
   * Changes the voting members of {@code current}'s group to {@code members}; Ratis catches new
   * members up first and goes through joint consensus, so the group keeps a quorum throughout.
   * Returns once the change is committed; setting the members it already has is a no-op.
   */
  public static void setMembers(RaftGroup current, List<RaftPeer> members, RaftTuning tuning) throws IOException {
    RaftClient admin = forAdmin(current, tuning);
    try {
      RaftClientReply reply = admin.admin().setConfiguration(members);
      if (!reply.isSuccess()) {
        throw new IOException("membership change of " + current.getGroupId() + " to " + members + " failed", reply.getException());
      }
    } finally {
      closeBounded(admin);
    }
  }
}
