package ringkv.server.routing;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReadResult;
import ringkv.raft.codec.CommandCodec;
import ringkv.raft.config.RaftTuning;
import ringkv.router.ShardId;
import ringkv.server.DataMemoryGuard;
import ringkv.server.DiskSpaceGuard;
import ringkv.server.NodeMetrics;
import ringkv.server.RequestFailedException;
import ringkv.raft.shard.WriteRefusal;
import ringkv.raft.shard.WriteRefusedException;
import ringkv.router.NodeId;
import org.apache.ratis.protocol.RaftGroup;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.RaftClients;

/**
 * Submits commands and reads to a shard's Raft group and turns the answers (and Ratis
 * exceptions) into ours.
 *
 * <p>Implementation notes. One {@link RaftClient} per shard sends to the group's leader,
 * wherever it is; this is how a follower, or a node outside the group, forwards a write (Ratis
 * follows {@code NotLeaderException} redirects). Its retry policy is bounded: a dead group must
 * fail the request, not spin. A client whose retries ran out is closed for good by Ratis
 * (guides/ratis.md pitfall 15), so it is replaced before the next request.
 */
public final class CommandSubmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandSubmitter.class);

  private final HostedGroups groups;
  private final RaftProperties clientProperties;
  /** How long a read waits for this node's replica to reach its min_revision. */
  private static final java.time.Duration MIN_REVISION_WAIT = java.time.Duration.ofSeconds(10);
  /** A shard's client and the membership it was built for; rebuilt when the membership changes. */
  private record ShardClient(RaftGroup group, RaftClient client) {}

  private final Map<ShardId, ShardClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private final DiskSpaceGuard diskGuard;
  private final DataMemoryGuard memoryGuard;

  private final GroupCommitter groupCommitter;
  private final LocalLeaderRequests localLeader;

  /**
   * A deliberately broken build for the chaos experiments (docs/chaos.md): with this system
   * property set to true, a "linearizable" read is answered from this node's own replica as it
   * stands, leader or not. A partitioned old leader then serves stale values, and the chaos
   * checker must report it: the proof that the pipeline can fail. Never set it anywhere else.
   */
  public static final String UNSAFE_LOCAL_READS_PROPERTY = "ringkv.testing.unsafeLocalReads";
  private final boolean unsafeLocalReads = Boolean.getBoolean(UNSAFE_LOCAL_READS_PROPERTY);

  public CommandSubmitter(HostedGroups groups, RaftTuning tuning, Clock clock, DiskSpaceGuard diskGuard,
      DataMemoryGuard memoryGuard, NodeMetrics metrics) {
    this.groups = groups;
    this.diskGuard = diskGuard;
    this.memoryGuard = memoryGuard;
    this.clientProperties = tuning.toClientProperties();
    // many requests of many callers share one client per shard
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(clientProperties, 4096);
    this.localLeader = new LocalLeaderRequests(groups);
    this.groupCommitter = new GroupCommitter(GroupCommitter.Limits.of(tuning.entriesInFlight()), this::replicate, clock, metrics::groupCommitEntry);
    if (unsafeLocalReads) {
      LOG.warn("{}=true: linearizable reads are served from local replicas without a read index; this node is NOT "
          + "linearizable (a test-only switch for the chaos experiments)", UNSAFE_LOCAL_READS_PROPERTY);
    }
  }

  /**
   * Replicates one command through the shard's log; completes with its result once applied.
   * Concurrent commands for one shard share log entries ({@link GroupCommitter}).
   */
  public CompletableFuture<CommandResult> submit(ShardId shard, Command command) {
    diskGuard.check();
    // this node's memory counts only if it holds a replica of the shard; the leader checks its own
    memoryGuard.check(command, () -> groups.shardDivision(shard).isPresent());
    return groupCommitter.submit(shard, command);
  }

  private CompletableFuture<LogEntryResult> replicate(ShardId shard, LogEntry entry) {
    Message message = CommandCodec.encode(entry);
    // Straight to the local leader only when every command can be deduplicated by its write id:
    // a "not leader" answer can come after the entry was appended (the leader stepped down), and
    // the entry is then sent again through the Ratis client.
    if (entry.getCommandsList().stream().allMatch(c -> !c.getWriteId().getClientId().isEmpty())) {
      return localLeader.submitOr(shard, message, RaftClientRequest.writeRequestType(),
          reply -> decodeWrite(shard, null, reply, null), () -> replicateThroughClient(shard, message));
    }
    return replicateThroughClient(shard, message);
  }

  private CompletableFuture<LogEntryResult> replicateThroughClient(ShardId shard, Message message) {
    RaftClient client = client(shard);
    return client.async().send(message).handle((reply, error) -> decodeWrite(shard, client, reply, error));
  }

  private LogEntryResult decodeWrite(ShardId shard, RaftClient client, RaftClientReply reply, Throwable error) {
    checkReply(shard, client, reply, error, true);
    return CommandCodec.decodeLogEntryResult(reply.getMessage().getContent());
  }

  /** A linearizable read (Raft read index, or the leader lease when it holds). */
  public CompletableFuture<ReadResult> read(ShardId shard, ReadQuery query) {
    Message message = CommandCodec.encode(query);
    var machine = groups.localStateMachine(shard);
    if (unsafeLocalReads && machine.isPresent()) {
      return machine.get().query(message).thenApply(m -> CommandCodec.decodeReadResult(m.getContent()));
    }
    return localLeader.submitOr(shard, message, RaftClientRequest.readRequestType(),
        reply -> decodeRead(shard, null, reply, null), () -> readThroughClient(shard, message));
  }

  private CompletableFuture<ReadResult> readThroughClient(ShardId shard, Message message) {
    RaftClient client = client(shard);
    return client.async().sendReadOnly(message).handle((reply, error) -> decodeRead(shard, client, reply, error));
  }

  private ReadResult decodeRead(ShardId shard, RaftClient client, RaftClientReply reply, Throwable error) {
    checkReply(shard, client, reply, error, false);
    return CommandCodec.decodeReadResult(reply.getMessage().getContent());
  }

  /**
   * A read served by this node's own replica of the shard (SERIALIZABLE: may be stale, never goes
   * backwards, since a replica applies its log in order), after the replica has applied at least
   * {@code minRevision}. A node without a replica asks one of the shard's replicas for the same.
   */
  public CompletableFuture<ReadResult> readLocal(ShardId shard, ReadQuery query, long minRevision, ScheduledExecutorService timer) {
    Message message = CommandCodec.encode(query);
    var machine = groups.localStateMachine(shard);
    // min_revision is a shard revision (KvStateMachine's counter), not a Raft log index, so the
    // wait compares the answer's revision, for the local replica and for a remote one alike
    // (Ratis' own stale-read index would compare it with the log index).
    Supplier<CompletableFuture<ReadResult>> readOnce = machine.isPresent()
        ? () -> machine.get().query(message).thenApply(m -> CommandCodec.decodeReadResult(m.getContent()))
        : () -> readStaleFromReplica(shard, message);
    long retryMillis = machine.isPresent() ? 2 : 20;
    CompletableFuture<ReadResult> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + MIN_REVISION_WAIT.toNanos();
    Runnable attempt = new Runnable() {
      @Override
      public void run() {
        readOnce.get().whenComplete((read, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else if (read.getRevision() >= minRevision) {
            result.complete(read);
          } else if (System.nanoTime() > deadline) {
            result.completeExceptionally(new RequestFailedException(ErrorReason.TIMEOUT, shard + " replica has applied revision "
                + read.getRevision() + ", below min_revision " + minRevision + ", after " + MIN_REVISION_WAIT.toSeconds() + " s", false));
          } else {
            timer.schedule(this, retryMillis, TimeUnit.MILLISECONDS);
          }
        });
      }
    };
    attempt.run();
    return result;
  }

  /** A read served by one of the shard's replicas as it stands (this node has none). */
  private CompletableFuture<ReadResult> readStaleFromReplica(ShardId shard, Message message) {
    RaftClient client = client(shard);
    RaftPeerId replica = groups.shardGroup(shard).getPeers().iterator().next().getId();
    return client.async().sendStaleRead(message, 0, replica).handle((reply, error) -> {
      // answered by a replica that need not lead: check the reply without taking it as a leader hint
      Throwable failure = error != null ? unwrap(error) : (reply.isSuccess() ? null : reply.getException());
      if (failure != null) {
        checkReply(shard, client, reply, error, false);
      }
      return CommandCodec.decodeReadResult(reply.getMessage().getContent());
    });
  }

  private void checkReply(ShardId shard, RaftClient client, RaftClientReply reply, Throwable error, boolean isWrite) {
    Throwable failure = error != null ? unwrap(error) : (reply.isSuccess() ? null : reply.getException());
    if (failure == null) {
      // writes and linearizable reads are answered by the leader: remember it for hints
      groups.noteLeader(shard, NodeId.of(reply.getServerId().toString()));
      return;
    }
    if (client != null && (failure instanceof RaftRetryFailureException || failure instanceof AlreadyClosedException)) {
      replaceClient(shard, client);
    }
    throw toRequestFailure(shard, failure, isWrite);
  }

  static RequestFailedException toRequestFailure(ShardId shard, Throwable failure, boolean isWrite) {
    if (failure instanceof RequestFailedException ours) {
      return ours;
    }
    if (failure instanceof NotLeaderException || failure instanceof LeaderNotReadyException) {
      return new RequestFailedException(ErrorReason.NO_LEADER,
          shard + " has no leader ready yet; retry", false, failure);
    }
    Optional<WriteRefusal> refusal = failure instanceof StateMachineException
        ? WriteRefusedException.parse(failure.getMessage()) : Optional.empty();
    if (refusal.isPresent()) {
      // the leader refused the write before appending it (its disk or memory guard)
      return new RequestFailedException(refusal.get().reason(),
          shard + " leader refused the write: " + refusal.get().message(), false, failure);
    }
    if (failure instanceof StateMachineException) {
      return new RequestFailedException(ErrorReason.INTERNAL_ERROR,
          shard + " state machine failed: " + failure.getMessage(), isWrite, failure);
    }
    // Retries ran out, timeouts, connections lost: the leader may have appended the entry.
    return new RequestFailedException(ErrorReason.NO_LEADER,
        shard + " did not answer in time (" + failure.getClass().getSimpleName() + "); retry", isWrite, failure);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private RaftClient client(ShardId shard) {
    if (closed) {
      throw new RequestFailedException(ErrorReason.NODE_STOPPING, "node is stopping", false);
    }
    RaftGroup group = groups.shardGroup(shard);
    ShardClient current = clients.get(shard);
    if (current != null && current.group().equals(group)) {
      return current.client();
    }
    ShardClient fresh = new ShardClient(group, newClient(group));
    if (current == null ? clients.putIfAbsent(shard, fresh) == null : clients.replace(shard, current, fresh)) {
      if (current != null) {
        closeQuietly(current.client());
      }
      return fresh.client();
    }
    closeQuietly(fresh.client());
    return client(shard);
  }

  private RaftClient newClient(RaftGroup group) {
    // Up to ~10 s of redirects and elections, well inside a client's call deadline.
    RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(50, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
    return RaftClient.newBuilder()
        .setProperties(clientProperties)
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(retry)
        .build();
  }

  private void replaceClient(ShardId shard, RaftClient broken) {
    ShardClient current = clients.get(shard);
    if (current != null && current.client() == broken && clients.remove(shard, current)) {
      LOG.warn("replacing exhausted raft client shard={}", shard);
      closeQuietly(broken);
    }
  }

  @Override
  public void close() {
    closed = true;
    clients.values().forEach(c -> closeQuietly(c.client()));
    clients.clear();
  }

  private static void closeQuietly(RaftClient client) {
    RaftClients.closeBounded(client);
  }
}
