package ringkv.raft.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.UncheckedIOException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReadResult;

/**
 * Converts between our protos and Ratis {@link Message}s.
 *
 * <p>Ratis uses a shaded protobuf runtime, so its {@code ByteString} is not ours: the two meet
 * only here, as bytes. Decoding reads the shaded bytes through a read-only buffer (no copy).
 */
public final class CommandCodec {
  /**
   * The format of ordinary log entries (client writes) this version writes; the previous version
   * reads it, so a mixed-version cluster keeps working during a rolling upgrade.
   */
  public static final int LOG_FORMAT_VERSION = 1;
  /**
   * Entries holding a partition-move step (freeze, install, activate, drop) are format 2: a node
   * from before partition moves refuses them (its replica halts with "upgrade this node") instead
   * of applying them half-understood. So reshard only once every node runs this version.
   */
  public static final int PARTITION_MOVE_FORMAT_VERSION = 2;
  /** The newest log-entry format this version reads. */
  public static final int READABLE_LOG_FORMAT_VERSION = PARTITION_MOVE_FORMAT_VERSION;

  private CommandCodec() {}

  public static Message encode(com.google.protobuf.MessageLite proto) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(proto.toByteArray()));
  }

  public static LogEntry decodeLogEntry(ByteString bytes) {
    try {
      LogEntry entry = LogEntry.parseFrom(bytes.asReadOnlyByteBuffer());
      if (entry.getFormatVersion() > READABLE_LOG_FORMAT_VERSION) {
        // A newer node wrote this entry; applying it half-understood could diverge replicas.
        throw new IllegalStateException(
            "log entry format " + entry.getFormatVersion() + " is newer than this node's "
                + READABLE_LOG_FORMAT_VERSION + "; upgrade this node");
      }
      return entry;
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("corrupt log entry", e);
    }
  }

  public static LogEntryResult decodeLogEntryResult(ByteString bytes) {
    try {
      return LogEntryResult.parseFrom(bytes.asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("corrupt log entry result", e);
    }
  }

  public static ReadQuery decodeReadQuery(ByteString bytes) throws InvalidProtocolBufferException {
    return ReadQuery.parseFrom(bytes.asReadOnlyByteBuffer());
  }

  public static ReadResult decodeReadResult(ByteString bytes) {
    try {
      return ReadResult.parseFrom(bytes.asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("corrupt read result", e);
    }
  }
}
