package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.NavigableMap;
import ringkv.api.v1.ActivatePartition;
import ringkv.api.v1.DropPartition;
import ringkv.api.v1.FreezePartition;
import ringkv.api.v1.InstallChunk;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.MigrationResult;
import ringkv.api.v1.PartitionChunk;
import ringkv.api.v1.PartitionChunkQuery;

/**
 * Applies the steps of a partition move to a shard's store, gates and sessions (the rules of
 * each step are in {@link PartitionGates}), and serves the copy's reads of a frozen partition.
 * Apply thread only, except {@link #chunk}, which reads a frozen partition (nothing writes it).
 */
final class PartitionMigration {
  private PartitionMigration() {}

  /** Freezes the partition; a successful answer carries the session table for the target. */
  static MigrationResult freeze(PartitionGates gates, ClientSessions sessions, FreezePartition freeze) {
    MigrationResult result = gates.freeze(freeze.getPartition(), freeze.getMoveEpoch());
    return result.getApplied() ? result.toBuilder().addAllSessions(sessions.toRecords()).build() : result;
  }

  /**
   * The answer to an install chunk, and the highest revision it brings (the source's revision at
   * the freeze, or a loaded key's mod revision), so the shard's revision can move past it: a key's
   * next write here must get a higher revision than its writes (and its delete) in the source had.
   */
  record Installed(MigrationResult result, long highestModRevision) {}

  /** Loads one chunk; a first chunk clears what an interrupted copy left. */
  static Installed install(PartitionGates gates, PartitionedStore store, ClientSessions sessions, InstallChunk chunk,
      long logTimeMillis) {
    MigrationResult refusal = gates.beginChunk(chunk.getPartition(), chunk.getMoveEpoch(), chunk.getFirst());
    if (refusal != null) {
      return new Installed(refusal, 0);
    }
    if (chunk.getFirst()) {
      store.clearPartition(chunk.getPartition());
    }
    long highest = chunk.getSourceRevision();
    for (KeyValue kv : chunk.getKvsList()) {
      store.load(chunk.getPartition(), kv.getKey(), StoredValue.fromKeyValue(kv));
      highest = Math.max(highest, kv.getModRevision());
    }
    sessions.merge(chunk.getSessionsList(), logTimeMillis);
    if (chunk.getActivate()) {
      return new Installed(gates.activate(chunk.getPartition(), chunk.getMoveEpoch()), highest);
    }
    return new Installed(MigrationResult.newBuilder().setApplied(true).build(), highest);
  }

  static MigrationResult activate(PartitionGates gates, ActivatePartition activate) {
    return gates.activate(activate.getPartition(), activate.getMoveEpoch());
  }

  static MigrationResult drop(PartitionGates gates, PartitionedStore store, DropPartition drop) {
    MigrationResult refusal = gates.beginDrop(drop.getPartition(), drop.getMoveEpoch());
    if (refusal != null) {
      return refusal;
    }
    store.clearPartition(drop.getPartition());
    return MigrationResult.newBuilder().setApplied(true).build();
  }

  /** The next slice of a frozen partition: keys after {@code after_key}, up to {@code max_bytes}. */
  static PartitionChunk chunk(PartitionedStore store, PartitionChunkQuery query) {
    NavigableMap<ByteString, StoredValue> keys = store.partition(query.getPartition());
    NavigableMap<ByteString, StoredValue> rest = query.getHasAfterKey() ? keys.tailMap(query.getAfterKey(), false) : keys;
    PartitionChunk.Builder chunk = PartitionChunk.newBuilder();
    long bytes = 0;
    for (Map.Entry<ByteString, StoredValue> e : rest.entrySet()) {
      if (chunk.getKvsCount() > 0 && bytes >= query.getMaxBytes()) {
        chunk.setMore(true);
        return chunk.build();
      }
      StoredValue value = e.getValue(); // once: the view reads the live value on every call
      chunk.addKvs(value.toKeyValue(e.getKey()));
      bytes += e.getKey().size() + value.value().size();
    }
    return chunk.build();
  }
}
