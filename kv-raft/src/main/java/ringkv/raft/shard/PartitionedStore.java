package ringkv.raft.shard;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The data of one shard: one sorted map per partition, so that moving or dropping a partition
 * touches only its own map.
 *
 * <p>Implementation notes: writes come only from the group's apply thread; reads
 * ({@link #get}) run concurrently from query threads, hence concurrent maps. A reader sees each
 * key either before or after a write, never half of it, because values are immutable records.
 */
public final class PartitionedStore {
  /** An empty partition; it needs the key comparator, or range views of it would fail. */
  private static final NavigableMap<ByteString, StoredValue> EMPTY =
      Collections.unmodifiableNavigableMap(new java.util.TreeMap<>(ByteString.unsignedLexicographicalComparator()));

  private final int partitionCount;
  // AtomicReferenceArray so that a query thread sees a partition map created by the apply thread
  private final AtomicReferenceArray<ConcurrentSkipListMap<ByteString, StoredValue>> partitions;
  private final AtomicLong keyCount = new AtomicLong();
  // bytes of keys plus values: what the data costs, without the maps' own overhead
  private final AtomicLong dataBytes = new AtomicLong();

  public PartitionedStore(int partitionCount) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partitionCount must be >= 1, got " + partitionCount);
    }
    this.partitionCount = partitionCount;
    this.partitions = new AtomicReferenceArray<>(partitionCount);
  }

  public int partitionCount() {
    return partitionCount;
  }

  public @Nullable StoredValue get(int partition, ByteString key) {
    var map = partitions.get(checkPartition(partition));
    return map == null ? null : map.get(key);
  }

  /** Sets the key; returns the previous value or null. Apply thread only. */
  public @Nullable StoredValue put(int partition, ByteString key, ByteString value, long revision) {
    var map = partitionForWrite(partition);
    StoredValue previous = map.get(key);
    map.put(key, StoredValue.afterPut(previous, value, revision));
    if (previous == null) {
      keyCount.incrementAndGet();
      dataBytes.addAndGet(key.size() + value.size());
    } else {
      dataBytes.addAndGet(value.size() - previous.value().size());
    }
    return previous;
  }

  /** Removes the key; returns the previous value or null. Apply thread only. */
  public @Nullable StoredValue delete(int partition, ByteString key) {
    var map = partitions.get(checkPartition(partition));
    StoredValue previous = map == null ? null : map.remove(key);
    if (previous != null) {
      keyCount.decrementAndGet();
      dataBytes.addAndGet(-(key.size() + previous.value().size()));
    }
    return previous;
  }

  /** Loads one key as read from a snapshot. Apply thread (or initialisation) only. */
  public void load(int partition, ByteString key, StoredValue value) {
    StoredValue replaced = partitionForWrite(partition).put(key, value);
    if (replaced == null) {
      keyCount.incrementAndGet();
      dataBytes.addAndGet(key.size() + value.value().size());
    } else {
      dataBytes.addAndGet(value.value().size() - replaced.value().size());
    }
  }

  /** The keys of one partition in key order; empty if it holds none. Read-only view. */
  public NavigableMap<ByteString, StoredValue> partition(int partition) {
    var map = partitions.get(checkPartition(partition));
    return map == null ? EMPTY : Collections.unmodifiableNavigableMap(map);
  }

  public long keyCount() {
    return keyCount.get();
  }

  /** Bytes of all keys and values held. */
  public long dataBytes() {
    return dataBytes.get();
  }

  /** Forgets every key of one partition. Apply thread only. */
  public void clearPartition(int partition) {
    var map = partitions.getAndSet(checkPartition(partition), null);
    if (map == null) {
      return;
    }
    long bytes = 0;
    for (Map.Entry<ByteString, StoredValue> e : map.entrySet()) {
      bytes += e.getKey().size() + e.getValue().value().size();
    }
    keyCount.addAndGet(-map.size());
    dataBytes.addAndGet(-bytes);
  }

  public void clear() {
    for (int p = 0; p < partitionCount; p++) {
      partitions.set(p, null);
    }
    keyCount.set(0);
    dataBytes.set(0);
  }

  /**
   * A digest of the whole content (partition, key, value and counters, in order). Two replicas
   * that applied the same log have the same digest; tests and operators compare them.
   */
  public long digest() {
    Hasher hasher = Hashing.murmur3_128().newHasher();
    for (int p = 0; p < partitionCount; p++) {
      var map = partitions.get(p);
      if (map == null || map.isEmpty()) {
        continue;
      }
      hasher.putInt(p);
      for (Map.Entry<ByteString, StoredValue> e : map.entrySet()) {
        StoredValue v = e.getValue();
        hasher.putInt(e.getKey().size()).putBytes(e.getKey().asReadOnlyByteBuffer());
        hasher.putInt(v.value().size()).putBytes(v.value().asReadOnlyByteBuffer());
        hasher.putLong(v.createRevision()).putLong(v.modRevision()).putLong(v.version());
      }
    }
    return hasher.hash().asLong();
  }

  private ConcurrentSkipListMap<ByteString, StoredValue> partitionForWrite(int partition) {
    int p = checkPartition(partition);
    var map = partitions.get(p);
    if (map == null) {
      map = new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
      partitions.set(p, map);
    }
    return map;
  }

  private int checkPartition(int partition) {
    if (partition < 0 || partition >= partitionCount) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range [0, " + partitionCount + ")");
    }
    return partition;
  }
}
