package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.GetResult;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.WriteId;
import ringkv.raft.codec.CommandCodec;

/** Feeds synthetic log entries to a {@link KvStateMachine}, as Ratis would on a follower. */
final class LogFixture {
  private final KvStateMachine machine;
  private long index;
  private long term = 1;

  LogFixture(KvStateMachine machine) {
    this(machine, 0);
  }

  /** Continues the log of {@code machine} after {@code lastIndex} (e.g. the index of a snapshot it loaded). */
  LogFixture(KvStateMachine machine, long lastIndex) {
    this.machine = machine;
    this.index = lastIndex;
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static Command put(int partition, String key, String value) {
    return Command.newBuilder().setPut(PutOp.newBuilder().setPartition(partition).setKey(bytes(key)).setValue(bytes(value)).setPrevKv(true)).build();
  }

  static Command delete(int partition, String key) {
    return Command.newBuilder().setDelete(DeleteOp.newBuilder().setPartition(partition).setKey(bytes(key)).setPrevKv(true)).build();
  }

  static Command withWriteId(Command command, String clientId, long sequence, long firstIncomplete) {
    return command.toBuilder().setWriteId(WriteId.newBuilder().setClientId(bytes(clientId)).setSequence(sequence)
        .setFirstIncompleteSequence(firstIncomplete)).build();
  }

  /** Applies one entry holding {@code commands}, proposed at log time {@code atMillis}. */
  LogEntryResult apply(long atMillis, Command... commands) {
    LogEntry entry = LogEntry.newBuilder().setFormatVersion(CommandCodec.LOG_FORMAT_VERSION)
        .setProposedAtMillis(atMillis).addAllCommands(java.util.List.of(commands)).build();
    return applyRaw(entry);
  }

  LogEntryResult applyRaw(LogEntry entry) {
    return applyBytes(entry.toByteArray());
  }

  /** Applies one entry given as the bytes Ratis keeps in its log (a serialized {@link LogEntry}). */
  LogEntryResult applyBytes(byte[] logData) {
    index++;
    LogEntryProto proto = LogEntryProto.newBuilder().setTerm(term).setIndex(index)
        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
            .setLogData(UnsafeByteOperations.unsafeWrap(logData)))
        .build();
    TransactionContext trx = TransactionContext.newBuilder().setStateMachine(machine)
        .setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(proto).build();
    Message reply = machine.applyTransaction(trx).join();
    return CommandCodec.decodeLogEntryResult(reply.getContent());
  }

  CommandResult applyOne(long atMillis, Command command) {
    return apply(atMillis, command).getResults(0);
  }

  GetResult get(int partition, String key) {
    ReadQuery query = ReadQuery.newBuilder().setGet(GetQuery.newBuilder().setPartition(partition).setKey(bytes(key))).build();
    return CommandCodec.decodeReadResult(machine.query(CommandCodec.encode(query)).join().getContent()).getGet();
  }

  long index() {
    return index;
  }
}
