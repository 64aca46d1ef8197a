package ringkv.raft.shard;

import com.google.common.collect.Maps;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The data of one shard: per partition, its keys in a hash index for point reads and writes and
 * in a sorted index for scans, so that moving or dropping a partition touches only its own maps.
 *
 * <p>Why two indexes: a get, and a put of a key that exists, are the common operations, and on a
 * sorted map each walks ~log2(n) nodes with a key comparison per node, on every replica's apply
 * thread (39-49 % of its time in the profile: docs/benchmarks.md, "Making it fast"). Both
 * indexes hold the same {@link Cell} per key, so a put of an existing key is one hash lookup and
 * a write of the cell; only a new or removed key touches the sorted index.
 *
 * <p>Implementation notes: writes come only from the group's apply thread; reads ({@link #get},
 * {@link #partition}) run concurrently from query threads, hence concurrent maps and a volatile
 * cell. A reader sees each key either before or after a write, never half of it, because values
 * are immutable records. A scan that reached a key's cell just before the key was deleted may
 * still return the key's last value: the "before" side, as for any weakly consistent iterator.
 */
public final class PartitionedStore {
  /** An empty partition; it needs the key comparator, or range views of it would fail. */
  private static final NavigableMap<ByteString, StoredValue> EMPTY =
      Collections.unmodifiableNavigableMap(new java.util.TreeMap<>(ByteString.unsignedLexicographicalComparator()));

  /** A key's current value, shared by both indexes; replaced whole on every write. */
  private static final class Cell {
    private volatile StoredValue value;

    Cell(StoredValue value) {
      this.value = value;
    }

    StoredValue value() {
      return value;
    }
  }

  /** One partition's keys, indexed twice over the same cells. */
  private static final class Partition {
    private final ConcurrentHashMap<ByteString, Cell> byKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<ByteString, Cell> sorted =
        new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
    // a live read-only view in key order, for scans, snapshots and partition moves
    private final NavigableMap<ByteString, StoredValue> view =
        Collections.unmodifiableNavigableMap(Maps.transformValues(sorted, Cell::value));
  }

  private final int partitionCount;
  // AtomicReferenceArray so that a query thread sees a partition created by the apply thread
  private final AtomicReferenceArray<Partition> partitions;
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
    Partition keys = partitions.get(checkPartition(partition));
    Cell cell = keys == null ? null : keys.byKey.get(key);
    return cell == null ? null : cell.value();
  }

  /** Sets the key; returns the previous value or null. Apply thread only. */
  public @Nullable StoredValue put(int partition, ByteString key, ByteString value, long revision) {
    Partition keys = partitionForWrite(partition);
    Cell cell = keys.byKey.get(key);
    if (cell == null) {
      add(keys, key, StoredValue.afterPut(null, value, revision));
      return null;
    }
    StoredValue previous = cell.value();
    cell.value = StoredValue.afterPut(previous, value, revision);
    dataBytes.addAndGet(value.size() - previous.value().size());
    return previous;
  }

  /** Removes the key; returns the previous value or null. Apply thread only. */
  public @Nullable StoredValue delete(int partition, ByteString key) {
    Partition keys = partitions.get(checkPartition(partition));
    Cell cell = keys == null ? null : keys.byKey.remove(key);
    if (cell == null) {
      return null;
    }
    keys.sorted.remove(key);
    StoredValue previous = cell.value();
    keyCount.decrementAndGet();
    dataBytes.addAndGet(-(key.size() + previous.value().size()));
    return previous;
  }

  /** Loads one key as read from a snapshot. Apply thread (or initialisation) only. */
  public void load(int partition, ByteString key, StoredValue value) {
    Partition keys = partitionForWrite(partition);
    Cell cell = keys.byKey.get(key);
    if (cell == null) {
      add(keys, key, value);
      return;
    }
    dataBytes.addAndGet(value.value().size() - cell.value().value().size());
    cell.value = value;
  }

  private void add(Partition keys, ByteString key, StoredValue value) {
    Cell cell = new Cell(value);
    // sorted first: a scan may then meet the key a moment before a get does; either is "after"
    keys.sorted.put(key, cell);
    keys.byKey.put(key, cell);
    keyCount.incrementAndGet();
    dataBytes.addAndGet(key.size() + value.value().size());
  }

  /**
   * The keys of one partition in key order; empty if it holds none. A read-only live view: each
   * {@code get} or entry {@code getValue()} reads the key's value as it is at that moment, so read
   * an entry's value once and use that (two calls may straddle a write).
   */
  public NavigableMap<ByteString, StoredValue> partition(int partition) {
    Partition keys = partitions.get(checkPartition(partition));
    return keys == null ? EMPTY : keys.view;
  }

  /** One partition's keys and their values, in key order, at the moment {@link #copy} ran. */
  public record Contents(int partition, ByteString[] keys, StoredValue[] values) {
    public int size() {
      return keys.length;
    }
  }

  /**
   * Every non-empty partition's keys and values as they are now, for a snapshot written while
   * the store goes on changing. Values are immutable, so this copies references only (tens of
   * milliseconds for 100,000 keys), not data. Apply thread only: no write may run meanwhile.
   */
  public List<Contents> copy() {
    List<Contents> copied = new ArrayList<>();
    for (int p = 0; p < partitionCount; p++) {
      Partition keys = partitions.get(p);
      if (keys == null || keys.sorted.isEmpty()) {
        continue;
      }
      int size = keys.sorted.size();
      ByteString[] keyArray = new ByteString[size];
      StoredValue[] valueArray = new StoredValue[size];
      int i = 0;
      for (Map.Entry<ByteString, Cell> e : keys.sorted.entrySet()) {
        keyArray[i] = e.getKey();
        valueArray[i] = e.getValue().value();
        i++;
      }
      copied.add(new Contents(p, keyArray, valueArray));
    }
    return copied;
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
    Partition keys = partitions.getAndSet(checkPartition(partition), null);
    if (keys == null) {
      return;
    }
    long bytes = 0;
    for (Map.Entry<ByteString, Cell> e : keys.byKey.entrySet()) {
      bytes += e.getKey().size() + e.getValue().value().value().size();
    }
    keyCount.addAndGet(-keys.byKey.size());
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
      Partition keys = partitions.get(p);
      if (keys == null || keys.sorted.isEmpty()) {
        continue;
      }
      hasher.putInt(p);
      for (Map.Entry<ByteString, StoredValue> e : keys.view.entrySet()) {
        StoredValue v = e.getValue();
        hasher.putInt(e.getKey().size()).putBytes(e.getKey().asReadOnlyByteBuffer());
        hasher.putInt(v.value().size()).putBytes(v.value().asReadOnlyByteBuffer());
        hasher.putLong(v.createRevision()).putLong(v.modRevision()).putLong(v.version());
      }
    }
    return hasher.hash().asLong();
  }

  private Partition partitionForWrite(int partition) {
    int p = checkPartition(partition);
    Partition keys = partitions.get(p);
    if (keys == null) {
      keys = new Partition();
      partitions.set(p, keys);
    }
    return keys;
  }

  private int checkPartition(int partition) {
    if (partition < 0 || partition >= partitionCount) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range [0, " + partitionCount + ")");
    }
    return partition;
  }
}
