package ringkv.raft.meta;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MetaResult;

/**
 * Feeds meta log entries to a {@link MetaStateMachine} as Ratis would on a follower, and reads and
 * describes the meta part of a format fixture ({@code meta-log.bin}: length-delimited
 * {@link MetaCommand}s, each the bytes Ratis keeps as the entry's state-machine data).
 */
final class MetaLogFixture {
  static final String LOG = "meta-log.bin";
  static final String SNAPSHOT = "meta-snapshot.bin";
  static final String RESULTS = "meta-results.tsv";
  static final String MAP = "meta-map.txtpb";

  private final MetaStateMachine machine;
  private long index;

  MetaLogFixture(MetaStateMachine machine) {
    this.machine = machine;
  }

  MetaResult apply(byte[] logData) {
    index++;
    LogEntryProto proto = LogEntryProto.newBuilder().setTerm(1).setIndex(index)
        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder().setLogData(UnsafeByteOperations.unsafeWrap(logData)))
        .build();
    TransactionContext trx = TransactionContext.newBuilder().setStateMachine(machine)
        .setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(proto).build();
    try {
      return MetaResult.parseFrom(machine.applyTransaction(trx).join().getContent().toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  long index() {
    return index;
  }

  /** One command's outcome: its log index and the map's epoch, or the rejection's reason. */
  static String describe(long index, MetaResult result) {
    return index + "\t" + (result.hasMap() ? "epoch " + result.getMap().getEpoch() : "rejected " + result.getRejected().getReason());
  }

  static List<byte[]> entries(Path dir) throws IOException {
    List<byte[]> entries = new ArrayList<>();
    try (InputStream in = Files.newInputStream(dir.resolve(LOG))) {
      MetaCommand command;
      while ((command = MetaCommand.parseDelimitedFrom(in)) != null) {
        entries.add(command.toByteArray());
      }
    }
    return entries;
  }
}
