package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ringkv.api.v1.ClientSessionRecord;
import ringkv.api.v1.PartitionGateRecord;
import ringkv.api.v1.PartitionStart;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.SnapshotRecord;
import ringkv.api.v1.SnapshotTrailer;
import ringkv.api.snapshot.SnapshotFile;

/**
 * A shard's state as a snapshot file: every partition's keys, then the session table, then the
 * partition gates (moves). Kept apart
 * from {@link KvStateMachine} so the format can be tested without a Raft server.
 *
 * @param header term, index, partition count and log time of the state
 */
public record ShardSnapshot(SnapshotHeader header, PartitionedStore store, List<ClientSessionRecord> sessions,
    List<PartitionGateRecord> gates) {
  public ShardSnapshot {
    sessions = List.copyOf(sessions);
    gates = List.copyOf(gates);
  }

  /**
   * A shard's state at one log index, captured on the apply thread so that the file can be written
   * on another thread while the shard applies on (see {@code KvStateMachine#takeSnapshot}).
   */
  public record Capture(SnapshotHeader header, List<PartitionedStore.Contents> partitions,
      List<ClientSessionRecord> sessions, List<PartitionGateRecord> gates) {
    public Capture {
      partitions = List.copyOf(partitions);
      sessions = List.copyOf(sessions);
      gates = List.copyOf(gates);
    }

    /** Writes the captured state atomically to {@code file}; see {@link SnapshotFile}. */
    public SnapshotTrailer writeTo(Path file) throws IOException {
      return SnapshotFile.write(file, header, sink -> {
        for (PartitionedStore.Contents partition : partitions) {
          sink.write(SnapshotRecord.newBuilder()
              .setPartition(PartitionStart.newBuilder().setPartition(partition.partition()).setKeyCount(partition.size()))
              .build());
          for (int i = 0; i < partition.size(); i++) {
            sink.write(SnapshotRecord.newBuilder().setKv(partition.values()[i].toKeyValue(partition.keys()[i])).build());
          }
        }
        for (ClientSessionRecord session : sessions) {
          sink.write(SnapshotRecord.newBuilder().setSession(session).build());
        }
        for (PartitionGateRecord gate : gates) {
          sink.write(SnapshotRecord.newBuilder().setGate(gate).build());
        }
      });
    }
  }

  /** Captures the state now (apply thread only: nothing may change it meanwhile). */
  public static Capture capture(SnapshotHeader header, PartitionedStore store, ClientSessions sessions, PartitionGates gates) {
    return new Capture(header, store.copy(), sessions.toRecords(), gates.toRecords());
  }

  /** Writes {@code store}, {@code sessions} and {@code gates} atomically to {@code file}; see {@link SnapshotFile}. */
  public static SnapshotTrailer write(Path file, SnapshotHeader header, PartitionedStore store, ClientSessions sessions,
      PartitionGates gates) throws IOException {
    return capture(header, store, sessions, gates).writeTo(file);
  }

  /**
   * Reads and verifies {@code file}.
   *
   * @throws ringkv.api.snapshot.CorruptSnapshotException if it is truncated, of an unknown
   *     format, fails its checksum, or does not match {@code expectedPartitions}
   */
  public static ShardSnapshot read(Path file, int expectedPartitions) throws IOException {
    PartitionedStore store = new PartitionedStore(expectedPartitions);
    List<ClientSessionRecord> sessions = new ArrayList<>();
    List<PartitionGateRecord> gates = new ArrayList<>();
    int[] partition = {-1};
    SnapshotHeader header = SnapshotFile.read(file, record -> {
      switch (record.getRecordCase()) {
        case PARTITION -> {
          partition[0] = record.getPartition().getPartition();
          if (partition[0] < 0 || partition[0] >= expectedPartitions) {
            throw new ringkv.api.snapshot.CorruptSnapshotException(file,
                "partition " + partition[0] + " outside [0, " + expectedPartitions + ")");
          }
        }
        case KV -> {
          if (partition[0] < 0) {
            throw new ringkv.api.snapshot.CorruptSnapshotException(file, "key before any partition record");
          }
          store.load(partition[0], record.getKv().getKey(), StoredValue.fromKeyValue(record.getKv()));
        }
        case SESSION -> sessions.add(record.getSession());
        // snapshots written before partition moves have none: every partition serves
        case GATE -> gates.add(record.getGate());
        case END, CLUSTER_MAP, RECORD_NOT_SET ->
            throw new ringkv.api.snapshot.CorruptSnapshotException(file, "unexpected record " + record.getRecordCase());
      }
    });
    if (header.getPartitionCount() != expectedPartitions) {
      throw new ringkv.api.snapshot.CorruptSnapshotException(file,
          "snapshot has " + header.getPartitionCount() + " partitions, this cluster has " + expectedPartitions);
    }
    return new ShardSnapshot(header, store, sessions, gates);
  }
}
