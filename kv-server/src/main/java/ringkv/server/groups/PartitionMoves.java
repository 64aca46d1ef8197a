package ringkv.server.groups;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DropPartition;
import ringkv.api.v1.FinishPartitionCopy;
import ringkv.api.v1.FinishPartitionDrop;
import ringkv.api.v1.FreezePartition;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.InstallChunk;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MigrationResult;
import ringkv.api.v1.PartitionChunk;
import ringkv.api.v1.PartitionChunkQuery;
import ringkv.api.v1.PartitionMove;
import ringkv.api.v1.PartitionMoveState;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReadResult;
import ringkv.raft.codec.CommandCodec;
import ringkv.raft.config.RaftTuning;
import ringkv.router.ShardId;
import ringkv.server.routing.ClusterMapView;

/**
 * Drives the partition moves the map records (Admin/AddShard, Admin/RemoveShard) to their end,
 * on the meta leader, with the protocol of DESIGN.md "Moving partitions":
 *
 * <ol>
 *   <li>{@code FreezePartition} in the source's log: from there the source refuses the partition
 *       (clients get PARTITION_MOVED and retry); its answer carries the source's session table;
 *   <li>the frozen keys are read from the source in slices of at most {@value #CHUNK_BYTES} bytes
 *       (linearizable reads, so they see the freeze) and proposed to the target as
 *       {@code InstallChunk} entries, one slice in flight at a time (the flow control: the next
 *       slice is read only once the target committed the previous one); the first slice carries
 *       the sessions and restarts an interrupted copy;
 *   <li>the last slice's {@code InstallChunk} also activates the partition in the target: it
 *       serves from there ({@code ActivatePartition} does the same as an entry of its own);
 *   <li>{@code FinishPartitionCopy} in the meta group: the map names the target as owner;
 *   <li>{@code DropPartition} in the source's log, then {@code FinishPartitionDrop}.
 * </ol>
 *
 * <p>The source's other partitions keep serving throughout: freezing and the copy's reads touch
 * only the moving partition. Every step is idempotent and fenced by the move's epoch (see
 * kv-raft's {@code PartitionGates}), and the move is in the map, so a step that fails (a node
 * killed, a leader change, the meta leader killed) is done again on a later tick by whichever node
 * leads the meta group then; an interrupted copy starts again from its first slice.
 */
final class PartitionMoves {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionMoves.class);
  /** Bytes of keys and values per install entry: well below the Raft appender's 4 MB entry limit. */
  static final long CHUNK_BYTES = 1 << 20;
  /** Partitions moved at the same time; more would only queue behind each other on 2 cores. */
  static final int PARALLEL = 4;

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;
  private final PartitionMoveMetrics metrics;
  private final ExecutorService workers;

  PartitionMoves(HostedGroups groups, MetaClient meta, RaftTuning tuning, PartitionMoveMetrics metrics,
      ExecutorService workers) {
    this.groups = groups;
    this.meta = meta;
    this.tuning = tuning;
    this.metrics = metrics;
    this.workers = workers;
  }

  /** Advances the first moves of {@code map}, a few at a time; a failure is logged and retried on the next tick. */
  void advance(ClusterMapView.Snapshot map) {
    List<PartitionMove> moves = map.map().getPartitionMovesList();
    if (moves.isEmpty()) {
      return;
    }
    Map<Integer, RaftClient> clients = new HashMap<>();
    try {
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (PartitionMove move : moves.subList(0, Math.min(PARALLEL, moves.size()))) {
        RaftClient source = clients.computeIfAbsent(move.getFromShard(), s -> client(map, s));
        RaftClient target = clients.computeIfAbsent(move.getToShard(), s -> client(map, s));
        running.add(CompletableFuture.runAsync(() -> advanceQuietly(move, source, target), workers));
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    } finally {
      clients.values().forEach(RaftClients::closeBounded);
    }
  }

  private RaftClient client(ClusterMapView.Snapshot map, int shard) {
    return RaftClients.forAdmin(groups.shardGroup(map, ShardId.of(shard)), tuning);
  }

  private void advanceQuietly(PartitionMove move, RaftClient source, RaftClient target) {
    try {
      if (move.getState() == PartitionMoveState.COPYING) {
        copy(move, source, target);
      }
      drop(move, source);
    } catch (Exception e) {
      LOG.info("partition move not done yet, will retry: partition={} from={} to={} state={}: {}", move.getPartition(),
          move.getFromShard(), move.getToShard(), move.getState(), e.toString());
    }
  }

  private void copy(PartitionMove move, RaftClient source, RaftClient target) throws Exception {
    int partition = move.getPartition();
    long epoch = move.getMoveEpoch();
    // the target must have a leader before the source freezes: a new shard's group may still be
    // electing one, and that wait would otherwise count as time the partition refused requests
    // (only the read index matters, not the answer: a gate left by an interrupted copy refuses it)
    RaftClientReply probe = target.io().sendReadOnly(CommandCodec.encode(
        ReadQuery.newBuilder().setGet(GetQuery.newBuilder().setPartition(partition)).build()));
    if (!probe.isSuccess()) {
      throw new IOException("the target shard has no leader yet", probe.getException());
    }
    long frozenAt = System.nanoTime();
    CommandResult frozen = step(source, Command.newBuilder()
        .setFreeze(FreezePartition.newBuilder().setPartition(partition).setMoveEpoch(epoch)).build());
    ByteString after = null;
    long keys = 0;
    long bytes = 0;
    boolean first = true;
    while (true) {
      PartitionChunkQuery.Builder query = PartitionChunkQuery.newBuilder().setPartition(partition).setMoveEpoch(epoch)
          .setMaxBytes(CHUNK_BYTES);
      if (after != null) {
        query.setAfterKey(after).setHasAfterKey(true);
      }
      PartitionChunk chunk = read(source, ReadQuery.newBuilder().setPartitionChunk(query).build()).getPartitionChunk();
      InstallChunk.Builder install = InstallChunk.newBuilder().setPartition(partition).setMoveEpoch(epoch)
          .setFirst(first).addAllKvs(chunk.getKvsList()).setActivate(!chunk.getMore());
      if (first) {
        install.addAllSessions(frozen.getMigration().getSessionsList()).setSourceRevision(frozen.getRevision());
      }
      MigrationResult installed = step(target, Command.newBuilder().setInstallChunk(install).build()).getMigration();
      if (installed.getNote().equals("already active")) {
        break; // an earlier attempt got as far as the activation
      }
      for (KeyValue kv : chunk.getKvsList()) {
        bytes += kv.getKey().size() + kv.getValue().size();
      }
      keys += chunk.getKvsCount();
      first = false;
      if (!chunk.getMore()) {
        break;
      }
      after = chunk.getKvs(chunk.getKvsCount() - 1).getKey();
    }
    meta.submit(MetaCommand.newBuilder().setFinishPartitionCopy(FinishPartitionCopy.newBuilder()
        .setPartition(partition).setMoveEpoch(epoch)).build()).get(10, TimeUnit.SECONDS);
    long frozenNanos = System.nanoTime() - frozenAt;
    metrics.copied(bytes, frozenNanos);
    LOG.info("partition moved partition={} from={} to={} keys={} bytes={} frozen_ms={}", partition, move.getFromShard(),
        move.getToShard(), keys, bytes, TimeUnit.NANOSECONDS.toMillis(frozenNanos));
  }

  private void drop(PartitionMove move, RaftClient source) throws Exception {
    step(source, Command.newBuilder()
        .setDrop(DropPartition.newBuilder().setPartition(move.getPartition()).setMoveEpoch(move.getMoveEpoch())).build());
    meta.submit(MetaCommand.newBuilder().setFinishPartitionDrop(FinishPartitionDrop.newBuilder()
        .setPartition(move.getPartition()).setMoveEpoch(move.getMoveEpoch())).build()).get(10, TimeUnit.SECONDS);
    metrics.finished();
  }

  /** Replicates one migration step through the shard's log; fails unless the shard accepted it. */
  private static CommandResult step(RaftClient shard, Command command) throws IOException {
    RaftClientReply reply = shard.io().send(CommandCodec.encode(LogEntry.newBuilder()
        .setFormatVersion(CommandCodec.PARTITION_MOVE_FORMAT_VERSION).setProposedAtMillis(System.currentTimeMillis()).addCommands(command).build()));
    if (!reply.isSuccess()) {
      throw new IOException(command.getOpCase() + " failed", reply.getException());
    }
    CommandResult result = CommandCodec.decodeLogEntryResult(reply.getMessage().getContent()).getResults(0);
    if (!result.getMigration().getApplied()) {
      throw new IOException(command.getOpCase() + " refused: " + result.getMigration().getNote());
    }
    return result;
  }

  /** A linearizable read of one shard; fails if the shard refused it. */
  private static ReadResult read(RaftClient shard, ReadQuery query) throws IOException {
    RaftClientReply reply = shard.io().sendReadOnly(CommandCodec.encode(query));
    if (!reply.isSuccess()) {
      throw new IOException(query.getQueryCase() + " read failed", reply.getException());
    }
    ReadResult result = CommandCodec.decodeReadResult(reply.getMessage().getContent());
    if (result.hasRejected()) {
      throw new IOException(query.getQueryCase() + " read refused: " + result.getRejected().getMessage());
    }
    return result;
  }
}
