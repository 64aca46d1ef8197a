package ringkv.raft.shard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import ringkv.raft.SnapshottingStateMachine;
import com.google.common.collect.Iterables;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DeleteRangeResult;
import ringkv.api.v1.ErrorReasonCode;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReadResult;
import ringkv.api.v1.Rejection;
import ringkv.api.v1.SnapshotHeader;
import ringkv.raft.codec.CommandCodec;
import ringkv.raft.snapshot.BackgroundSnapshots;

/**
 * The state machine of one shard group: applies put/delete commands to a
 * {@link PartitionedStore}, answers duplicates from {@link ClientSessions}, serves reads as
 * queries, and writes/loads snapshots.
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li>Ratis calls {@link #applyTransaction} sequentially on the group's apply thread; the store
 *       and the session table are only mutated there. {@link #query} runs concurrently on other
 *       threads and only reads the store (concurrent maps, immutable values).
 *   <li>Revision of a command = the log index of its entry; all commands of one entry share it.
 *   <li>Log time = the highest {@code proposed_at_millis} seen so far; it never goes backwards even
 *       if a new leader's clock is behind, and it is saved in snapshots, so every replica computes
 *       the same session expiry.
 *   <li>An exception in {@link #applyTransaction} is a bug and stops the group: never catch it.
 *   <li>Ratis calls {@link #takeSnapshot} on the apply thread. It captures the state there (the
 *       store's values are immutable, so a copy of its references is a point in time) and the
 *       file is written from that capture on another thread ({@link BackgroundSnapshots}): the
 *       shard stops applying for the capture only.
 * </ul>
 */
public final class KvStateMachine extends SnapshottingStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);
  /** Garbage-collect expired sessions at most this often (in log time). */
  private static final long EVICTION_PERIOD_MILLIS = 10_000;

  private final int partitionCount;
  private final SessionConfig sessionConfig;

  private volatile PartitionedStore store;
  private volatile PartitionGates gates = new PartitionGates();
  private ClientSessions sessions;
  private long logTimeMillis;
  /** Advanced by one for each applied command, on the apply thread; read by queries. */
  private volatile long revision;
  private long lastEvictionMillis;

  private final WriteGate writeGate;
  /** Set in {@link #initialize}. */
  private volatile @Nullable BackgroundSnapshots snapshots;

  public KvStateMachine(int partitionCount, SessionConfig sessionConfig) {
    this(partitionCount, sessionConfig, WriteGate.OPEN);
  }

  public KvStateMachine(int partitionCount, SessionConfig sessionConfig, WriteGate writeGate) {
    this.partitionCount = partitionCount;
    this.writeGate = writeGate;
    this.sessionConfig = sessionConfig;
    this.store = new PartitionedStore(partitionCount);
    this.sessions = new ClientSessions(sessionConfig);
  }

  /** Runs on the leader for each new write: a refused write is answered without entering the log. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    WriteRefusal refusal = writeGate.refusal(() -> CommandCodec.decodeLogEntry(request.getMessage().getContent()));
    if (refusal != null) {
      trx.setException(new WriteRefusedException(refusal));
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    LogEntry logEntry = CommandCodec.decodeLogEntry(entry.getStateMachineLogEntry().getLogData());
    logTimeMillis = Math.max(logTimeMillis, logEntry.getProposedAtMillis());
    LogEntryResult.Builder results = LogEntryResult.newBuilder();
    for (Command command : logEntry.getCommandsList()) {
      results.addResults(apply(command));
    }
    if (logTimeMillis - lastEvictionMillis >= EVICTION_PERIOD_MILLIS) {
      sessions.evictExpired(logTimeMillis);
      lastEvictionMillis = logTimeMillis;
    }
    updateLastAppliedTermIndex(entry.getTerm(), index);
    return CompletableFuture.completedFuture(CommandCodec.encode(results.build()));
  }

  /**
   * Applies one command at the next revision. Revisions count applied commands, not log entries:
   * an entry may carry many commands (group commit), and each write of a key must have a
   * revision of its own, or a compare on {@code mod_revision} could not tell two writes apart.
   */
  private CommandResult apply(Command command) {
    SessionLookup seen = sessions.lookup(command.getWriteId(), logTimeMillis);
    if (seen instanceof SessionLookup.Duplicate duplicate) {
      return duplicate.result();
    }
    if (seen instanceof SessionLookup.Expired) {
      return rejected(revision, ErrorReasonCode.REJECT_SESSION_EXPIRED,
          "the reply of this write was forgotten (sequence below the session floor); it may or may not have been applied");
    }
    switch (command.getOpCase()) {
      case FREEZE, INSTALL_CHUNK, ACTIVATE, DROP -> {
        return applyMigrationStep(command);
      }
      default -> { }
    }
    String refusal = ownershipRefusal(command);
    if (refusal != null) {
      // not recorded in the session table: the client retries the same write in the partition's
      // new shard, which must apply it
      return rejected(revision, ErrorReasonCode.REJECT_PARTITION_NOT_OWNED, refusal);
    }
    long next = revision + 1;
    CommandResult result =
        switch (command.getOpCase()) {
          case PUT -> CommandResult.newBuilder().setRevision(next).setPut(TxnApplier.put(store, command.getPut(), next)).build();
          case DELETE -> CommandResult.newBuilder().setRevision(next).setDelete(TxnApplier.delete(store, command.getDelete())).build();
          case TXN -> CommandResult.newBuilder().setRevision(next).setTxn(TxnApplier.txn(store, command.getTxn(), next)).build();
          case DELETE_RANGE -> CommandResult.newBuilder().setRevision(next).setDeleteRange(DeleteRangeResult.newBuilder()
              .setDeleted(RangeScanner.deleteRange(store, command.getDeleteRange().getStart(), command.getDeleteRange().getEnd(),
                  gates::serves))).build();
          case FREEZE, INSTALL_CHUNK, ACTIVATE, DROP -> throw new IllegalStateException("handled above");
          case OP_NOT_SET -> throw new IllegalStateException("command without an operation at revision " + next);
        };
    sessions.record(command.getWriteId(), result, logTimeMillis, next);
    revision = next;
    return result;
  }

  /** Why this shard may not apply {@code command} now (a partition it touches moved or is moving), or null. */
  private @Nullable String ownershipRefusal(Command command) {
    return switch (command.getOpCase()) {
      case PUT -> gates.refusal(command.getPut().getPartition());
      case DELETE -> gates.refusal(command.getDelete().getPartition());
      case TXN -> txnRefusal(command.getTxn());
      case DELETE_RANGE -> {
        int moving = gates.firstMoving();
        yield moving < 0 ? null : gates.refusal(moving);
      }
      default -> null;
    };
  }

  private @Nullable String txnRefusal(ringkv.api.v1.TxnOp txn) {
    for (ringkv.api.v1.TxnCompare compare : txn.getComparesList()) {
      String refusal = gates.refusal(compare.getPartition());
      if (refusal != null) {
        return refusal;
      }
    }
    for (ringkv.api.v1.TxnStep step : Iterables.concat(txn.getSuccessList(), txn.getFailureList())) {
      int partition = switch (step.getStepCase()) {
        case PUT -> step.getPut().getPartition();
        case DELETE -> step.getDelete().getPartition();
        case GET -> step.getGet().getPartition();
        case STEP_NOT_SET -> -1;
      };
      String refusal = partition < 0 ? null : gates.refusal(partition);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /** A scan covers every partition: it waits while one of them is frozen for a copy. */
  private @Nullable String frozenRefusal() {
    int frozen = gates.firstFrozen();
    return frozen < 0 ? null : gates.refusal(frozen);
  }

  /**
   * A step of a partition move (not a client write: no session, no revision of its own; an
   * install moves the revision past the installed keys' mod revisions).
   */
  private CommandResult applyMigrationStep(Command command) {
    ringkv.api.v1.MigrationResult result = switch (command.getOpCase()) {
      case FREEZE -> PartitionMigration.freeze(gates, sessions, command.getFreeze());
      case INSTALL_CHUNK -> {
        PartitionMigration.Installed installed =
            PartitionMigration.install(gates, store, sessions, command.getInstallChunk(), logTimeMillis);
        revision = Math.max(revision, installed.highestModRevision());
        yield installed.result();
      }
      case ACTIVATE -> PartitionMigration.activate(gates, command.getActivate());
      case DROP -> PartitionMigration.drop(gates, store, command.getDrop());
      default -> throw new IllegalStateException("not a migration step: " + command.getOpCase());
    };
    if (result.getApplied() && result.getNote().isEmpty()) {
      LOG.info("partition move step group={} step={} revision={}", getGroupId(), command.getOpCase(), revision);
    }
    return CommandResult.newBuilder().setRevision(revision).setMigration(result).build();
  }

  private static CommandResult rejected(long revision, ErrorReasonCode reason, String message) {
    return CommandResult.newBuilder()
        .setRevision(revision)
        .setRejected(Rejection.newBuilder().setReason(reason).setMessage(message))
        .build();
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    ReadQuery query;
    try {
      query = CommandCodec.decodeReadQuery(request.getContent());
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unreadable query", e));
    }
    // The revision is read before the data, so the answer reflects at least that revision.
    long readRevision = revision;
    long appliedIndex = getLastAppliedTermIndex().getIndex();
    ReadResult.Builder result = ReadResult.newBuilder().setAppliedIndex(appliedIndex).setRevision(readRevision);
    PartitionGates gates = this.gates;
    String refusal = switch (query.getQueryCase()) {
      case GET -> gates.refusal(query.getGet().getPartition());
      case SCAN -> frozenRefusal();
      case PARTITION_CHUNK -> gates.isFrozenBy(query.getPartitionChunk().getPartition(), query.getPartitionChunk().getMoveEpoch())
          ? null : "partition " + query.getPartitionChunk().getPartition() + " is not frozen by the move of epoch "
              + query.getPartitionChunk().getMoveEpoch() + " here: " + gates.gate(query.getPartitionChunk().getPartition());
      case QUERY_NOT_SET -> null;
    };
    if (refusal != null) {
      result.setRejected(Rejection.newBuilder().setReason(ErrorReasonCode.REJECT_PARTITION_NOT_OWNED).setMessage(refusal));
      return CompletableFuture.completedFuture(CommandCodec.encode(result.build()));
    }
    switch (query.getQueryCase()) {
      case GET -> result.setGet(TxnApplier.get(store, query.getGet()));
      case SCAN -> result.setScan(RangeScanner.scan(store, query.getScan(), gates::serves));
      case PARTITION_CHUNK -> result.setPartitionChunk(PartitionMigration.chunk(store, query.getPartitionChunk()));
      case QUERY_NOT_SET -> {
        return CompletableFuture.failedFuture(new IllegalArgumentException("empty query"));
      }
    }
    return CompletableFuture.completedFuture(CommandCodec.encode(result.build()));
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    snapshots = new BackgroundSnapshots(groupId.toString(), newestSnapshotIndex());
  }

  /**
   * Captures the shard's state on the apply thread (references only: tens of milliseconds) and
   * has {@link BackgroundSnapshots} write the file on its own thread. Returns the newest complete
   * snapshot's index, which may be older than the state just captured.
   */
  @Override
  public long takeSnapshot() {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    return snapshots().takeSnapshot(new BackgroundSnapshots.Group() {
      @Override
      public long appliedIndex() {
        return last.getIndex();
      }

      @Override
      public long newestSnapshotIndex() {
        return KvStateMachine.this.newestSnapshotIndex();
      }

      @Override
      public BackgroundSnapshots.Write capture() {
        return KvStateMachine.this.capture(last);
      }
    });
  }

  private BackgroundSnapshots snapshots() {
    BackgroundSnapshots current = snapshots;
    if (current == null) {
      throw new IllegalStateException("group " + getGroupId() + ": snapshot before initialize");
    }
    return current;
  }

  private BackgroundSnapshots.Write capture(TermIndex last) {
    long started = System.nanoTime();
    SnapshotHeader header =
        SnapshotHeader.newBuilder()
            .setTerm(last.getTerm())
            .setIndex(last.getIndex())
            .setPartitionCount(partitionCount)
            .setCreatedAtMillis(System.currentTimeMillis())
            .setLogTimeMillis(logTimeMillis)
            .setRevision(revision)
            .build();
    ShardSnapshot.Capture state = ShardSnapshot.capture(header, store, sessions, gates);
    long captureNanos = System.nanoTime() - started;
    return () -> {
      long writeStarted = System.nanoTime();
      File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
      var trailer = state.writeTo(file.toPath());
      registerNewSnapshot(file.toPath(), last);
      long writeNanos = System.nanoTime() - writeStarted;
      recordSnapshotTaken(captureNanos + writeNanos, file.length());
      // capture_millis: how long the shard stopped applying for this snapshot
      LOG.info("snapshot taken group={} index={} keys={} bytes={} capture_millis={} write_millis={}",
          getGroupId(), last.getIndex(), trailer.getKeyCount(), file.length(), captureNanos / 1_000_000,
          writeNanos / 1_000_000);
    };
  }

  private long newestSnapshotIndex() {
    var latest = storage.getLatestSnapshot();
    return latest == null ? -1 : latest.getIndex();
  }

  /** After an installation from the leader, Ratis counts its automatic trigger from the installed snapshot. */
  @Override
  public void reinitialize() throws IOException {
    super.reinitialize();
    snapshots().loaded(newestSnapshotIndex());
  }

  /** A snapshot being written when the server stops is completed first: it is the newest state on disk. */
  @Override
  public void close() throws IOException {
    BackgroundSnapshots current = snapshots;
    if (current != null) {
      current.close();
    }
    super.close();
  }

  @Override
  protected void loadSnapshot(Path file) throws IOException {
    ShardSnapshot snapshot = ShardSnapshot.read(file, partitionCount);
    SnapshotHeader header = snapshot.header();
    PartitionedStore loaded = snapshot.store();
    ClientSessions restoredSessions = new ClientSessions(sessionConfig);
    restoredSessions.load(snapshot.sessions());
    PartitionGates restoredGates = new PartitionGates();
    restoredGates.load(snapshot.gates());
    this.store = loaded;
    this.gates = restoredGates;
    this.sessions = restoredSessions;
    this.logTimeMillis = header.getLogTimeMillis();
    // snapshots from before per-command revisions: the revision was the log index
    this.revision = header.hasRevision() ? header.getRevision() : header.getIndex();
    this.lastEvictionMillis = header.getLogTimeMillis();
    setLastAppliedTermIndex(TermIndex.valueOf(header.getTerm(), header.getIndex()));
    LOG.info("snapshot loaded group={} index={} keys={} file={}", getGroupId(), header.getIndex(), loaded.keyCount(), file.getFileName());
  }

  /** Digest of the shard's data; equal on replicas that applied the same log. */
  public long stateDigest() {
    // the revision counter is state too: replicas that disagree on it would number writes differently
    return (store.digest() * 31 + revision) * 31 + gates.digest();
  }

  public long keyCount() {
    return store.keyCount();
  }

  /** Bytes of the shard's keys and values. */
  public long dataBytes() {
    return store.dataBytes();
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** The shard's revision: how many commands it has applied (duplicates and refusals not counted). */
  public long revision() {
    return revision;
  }

  /** The last applied log index, or -1 before the first entry. */
  public long appliedIndex() {
    TermIndex last = getLastAppliedTermIndex();
    return last == null ? -1 : last.getIndex();
  }

  @Nullable PartitionedStore storeForTesting() {
    return store;
  }

  ClientSessions sessionsForTesting() {
    return sessions;
  }
}
