package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.ScanQuery;
import ringkv.api.v1.ScanResult;

/**
 * Range reads and deletes over a shard's partitions. Keys of one range are spread over many
 * partitions (each its own sorted map), so a scan merges the partitions' sorted iterators with a
 * heap and stops after {@code limit} keys: cost O(limit log partitions), not the size of the range.
 */
final class RangeScanner {
  private static final Comparator<ByteString> KEYS = ByteString.unsignedLexicographicalComparator();

  private RangeScanner() {}

  private record Head(ByteString key, StoredValue value, Iterator<Map.Entry<ByteString, StoredValue>> rest) {}

  /** The keys of {@code query} in the partitions {@code serves} accepts (a partition being moved in is not served yet). */
  static ScanResult scan(PartitionedStore store, ScanQuery query, IntPredicate serves) {
    Comparator<Head> order = Comparator.comparing(Head::key, query.getReverse() ? KEYS.reversed() : KEYS);
    PriorityQueue<Head> heads = new PriorityQueue<>(order);
    for (int p = 0; p < store.partitionCount(); p++) {
      if (!serves.test(p)) {
        continue;
      }
      NavigableMap<ByteString, StoredValue> range = range(store.partition(p), query.getStart(), query.getEnd());
      Iterator<Map.Entry<ByteString, StoredValue>> it =
          (query.getReverse() ? range.descendingMap() : range).entrySet().iterator();
      advance(heads, it);
    }
    long limit = query.getLimit() <= 0 ? Long.MAX_VALUE : query.getLimit();
    List<KeyValue> kvs = new ArrayList<>();
    while (!heads.isEmpty() && kvs.size() < limit) {
      Head head = heads.poll();
      KeyValue kv = head.value().toKeyValue(head.key());
      kvs.add(query.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
      advance(heads, head.rest());
    }
    return ScanResult.newBuilder().addAllKvs(kvs).setMore(!heads.isEmpty()).build();
  }

  /** Deletes every key in [start, end) (empty end = no bound) of the partitions {@code serves} accepts; returns how many. Apply thread only. */
  static long deleteRange(PartitionedStore store, ByteString start, ByteString end, IntPredicate serves) {
    long deleted = 0;
    for (int p = 0; p < store.partitionCount(); p++) {
      if (!serves.test(p)) {
        continue;
      }
      List<ByteString> keys = new ArrayList<>(range(store.partition(p), start, end).keySet());
      for (ByteString key : keys) {
        if (store.delete(p, key) != null) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static NavigableMap<ByteString, StoredValue> range(NavigableMap<ByteString, StoredValue> partition, ByteString start, ByteString end) {
    return end.isEmpty() ? partition.tailMap(start, true) : partition.subMap(start, true, end, false);
  }

  private static void advance(PriorityQueue<Head> heads, Iterator<Map.Entry<ByteString, StoredValue>> it) {
    if (it.hasNext()) {
      Map.Entry<ByteString, StoredValue> next = it.next();
      heads.add(new Head(next.getKey(), next.getValue(), it));
    }
  }
}
