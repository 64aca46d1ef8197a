package ringkv.raft.meta;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MetaQuery;
import ringkv.api.v1.MetaRejectReason;
import ringkv.api.v1.MetaRejection;
import ringkv.api.v1.MetaResult;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.SnapshotRecord;
import ringkv.raft.SnapshottingStateMachine;
import ringkv.raft.codec.CommandCodec;
import ringkv.api.snapshot.CorruptSnapshotException;
import ringkv.api.snapshot.SnapshotFile;

/**
 * The meta group's state machine: holds the {@link ClusterMap} and applies {@link MetaCommand}s
 * through {@link ClusterMapEditor}. A refused command is an answer ({@code rejected}), not an
 * error, and changes nothing. Reads ({@link #query}) return the map.
 *
 * <p>The map is small (nodes, shards, one int per partition), so a snapshot is one record.
 */
public final class MetaStateMachine extends SnapshottingStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetaStateMachine.class);

  private volatile @Nullable ClusterMap map;

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    MetaCommand command;
    try {
      command = MetaCommand.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("corrupt meta log entry at index " + entry.getIndex(), e);
    }
    if (command.getFormatVersion() > ClusterMapEditor.READABLE_FORMAT_VERSION) {
      // a newer node wrote it: refusing it here while newer replicas apply it would split the map
      throw new IllegalStateException("meta log entry format " + command.getFormatVersion() + " at index " + entry.getIndex()
          + " is newer than this node's " + ClusterMapEditor.READABLE_FORMAT_VERSION + "; upgrade this node");
    }
    MetaResult result = apply(command);
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(CommandCodec.encode(result));
  }

  private MetaResult apply(MetaCommand command) {
    ClusterMap current = map;
    try {
      ClusterMap next = switch (command.getCommandCase()) {
        case BOOTSTRAP -> ClusterMapEditor.bootstrap(current, command.getBootstrap());
        case REGISTER_NODE -> ClusterMapEditor.registerNode(current, command.getRegisterNode());
        case SET_META_MEMBERS -> ClusterMapEditor.setMetaMembers(current, command.getSetMetaMembers());
        case START_REPLICA_MOVE -> ClusterMapEditor.startReplicaMove(current, command.getStartReplicaMove());
        case FINISH_REPLICA_MOVE -> ClusterMapEditor.finishReplicaMove(current, command.getFinishReplicaMove());
        case ADD_SHARD -> PartitionMoveEditor.addShard(current, command.getAddShard());
        case REMOVE_SHARD -> PartitionMoveEditor.removeShard(current, command.getRemoveShard());
        case FINISH_PARTITION_COPY -> PartitionMoveEditor.finishPartitionCopy(current, command.getFinishPartitionCopy());
        case FINISH_PARTITION_DROP -> PartitionMoveEditor.finishPartitionDrop(current, command.getFinishPartitionDrop());
        case REMOVE_NODE -> NodeEditor.removeNode(current, command.getRemoveNode());
        case FORGET_NODE -> NodeEditor.forgetNode(current, command.getForgetNode());
        case REBALANCE_REPLICAS -> NodeEditor.rebalanceReplicas(current, command.getRebalanceReplicas());
        case SET_PREFERRED_LEADER -> NodeEditor.setPreferredLeader(current, command.getSetPreferredLeader());
        case COMMAND_NOT_SET -> throw new MetaRejectedException(MetaRejectReason.INVALID_REQUEST, "empty meta command");
      };
      if (next != current) {
        map = next;
        LOG.info("cluster map changed epoch={} nodes={} shards={} command={}", next.getEpoch(), next.getNodesCount(),
            next.getShardsCount(), command.getCommandCase());
      }
      return MetaResult.newBuilder().setMap(next).build();
    } catch (MetaRejectedException e) {
      return MetaResult.newBuilder()
          .setRejected(MetaRejection.newBuilder().setReason(e.reason()).setMessage(e.getMessage()))
          .build();
    }
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      MetaQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unreadable meta query", e));
    }
    ClusterMap current = map;
    MetaResult result = current == null
        ? MetaResult.newBuilder().setRejected(MetaRejection.newBuilder()
            .setReason(MetaRejectReason.NOT_BOOTSTRAPPED).setMessage("the cluster is not bootstrapped yet")).build()
        : MetaResult.newBuilder().setMap(current).build();
    return CompletableFuture.completedFuture(CommandCodec.encode(result));
  }

  /** The map as this replica has applied it; null before bootstrap. */
  public @Nullable ClusterMap currentMap() {
    return map;
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    ClusterMap current = map;
    if (last == null || last.getIndex() < 0 || current == null) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    long started = System.nanoTime();
    SnapshotHeader header = SnapshotHeader.newBuilder().setTerm(last.getTerm()).setIndex(last.getIndex())
        .setPartitionCount(current.getPartitionCount()).setCreatedAtMillis(System.currentTimeMillis()).build();
    SnapshotFile.write(file.toPath(), header, sink -> sink.write(SnapshotRecord.newBuilder().setClusterMap(current).build()));
    registerNewSnapshot(file.toPath(), last);
    recordSnapshotTaken(System.nanoTime() - started, file.length());
    LOG.info("meta snapshot taken index={} epoch={}", last.getIndex(), current.getEpoch());
    return last.getIndex();
  }

  @Override
  protected void loadSnapshot(java.nio.file.Path file) throws IOException {
    ClusterMap[] loaded = {null};
    SnapshotHeader header = SnapshotFile.read(file, record -> {
      if (!record.hasClusterMap()) {
        throw new CorruptSnapshotException(file, "meta snapshot holds a " + record.getRecordCase());
      }
      loaded[0] = record.getClusterMap();
    });
    map = loaded[0];
    setLastAppliedTermIndex(TermIndex.valueOf(header.getTerm(), header.getIndex()));
  }
}
