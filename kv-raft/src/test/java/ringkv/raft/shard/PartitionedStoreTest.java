package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ringkv.raft.shard.LogFixture.bytes;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PartitionedStoreTest {
  @Test
  void put_newThenExistingKey_countsVersionsAndBytes() {
    PartitionedStore store = new PartitionedStore(4);
    assertThat(store.put(1, bytes("k"), bytes("v1"), 5)).isNull();
    StoredValue previous = store.put(1, bytes("k"), bytes("value2"), 9);

    assertThat(previous).isEqualTo(new StoredValue(bytes("v1"), 5, 5, 1));
    assertThat(store.get(1, bytes("k"))).isEqualTo(new StoredValue(bytes("value2"), 5, 9, 2));
    assertThat(store.get(2, bytes("k"))).as("another partition").isNull();
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(store.dataBytes()).isEqualTo(1 + 6);
  }

  @Test
  void delete_thenPutAgain_startsTheKeyOver() {
    PartitionedStore store = new PartitionedStore(4);
    store.put(0, bytes("k"), bytes("v1"), 1);
    store.put(0, bytes("k"), bytes("v2"), 2);

    assertThat(store.delete(0, bytes("k"))).isEqualTo(new StoredValue(bytes("v2"), 1, 2, 2));
    assertThat(store.delete(0, bytes("k"))).isNull();
    assertThat(store.get(0, bytes("k"))).isNull();
    assertThat(store.partition(0)).isEmpty();
    assertThat(store.keyCount()).isZero();
    assertThat(store.dataBytes()).isZero();

    store.put(0, bytes("k"), bytes("v3"), 7);
    assertThat(store.get(0, bytes("k"))).isEqualTo(new StoredValue(bytes("v3"), 7, 7, 1));
  }

  @Test
  void partition_isALiveViewInUnsignedKeyOrder_withTheCurrentValues() {
    PartitionedStore store = new PartitionedStore(2);
    NavigableMap<ByteString, StoredValue> view = store.partition(1);
    assertThat(view).isEmpty();

    ByteString high = ByteString.copyFrom(new byte[] {(byte) 0xff});
    store.put(1, high, bytes("x"), 1);
    store.put(1, bytes("b"), bytes("b1"), 2);
    store.put(1, bytes("a"), bytes("a1"), 3);
    NavigableMap<ByteString, StoredValue> live = store.partition(1);
    store.put(1, bytes("b"), bytes("b2"), 4);

    assertThat(live.keySet()).containsExactly(bytes("a"), bytes("b"), high);
    assertThat(live.get(bytes("b")).value()).as("an update shows through the view").isEqualTo(bytes("b2"));
    assertThat(live.tailMap(bytes("b"), false).keySet()).containsExactly(high);
    assertThat(live.descendingMap().firstKey()).isEqualTo(high);
    assertThatThrownBy(() -> live.remove(bytes("a"))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(store.keyCount()).isEqualTo(3);
  }

  @Test
  void load_overwritesWithTheGivenCounters_andClearPartitionForgetsOnlyThatPartition() {
    PartitionedStore store = new PartitionedStore(3);
    store.put(0, bytes("a"), bytes("12345"), 1);
    store.load(0, bytes("a"), new StoredValue(bytes("1"), 3, 8, 4));
    store.load(2, bytes("z"), new StoredValue(bytes("zz"), 2, 2, 1));

    assertThat(store.get(0, bytes("a"))).isEqualTo(new StoredValue(bytes("1"), 3, 8, 4));
    assertThat(store.dataBytes()).isEqualTo((1 + 1) + (1 + 2));

    store.clearPartition(0);
    assertThat(store.get(0, bytes("a"))).isNull();
    assertThat(store.partition(0)).isEmpty();
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(store.dataBytes()).isEqualTo(1 + 2);
    assertThat(store.get(2, bytes("z"))).isNotNull();
  }

  @Test
  void digest_dependsOnContent_notOnTheOrderOfWrites() {
    PartitionedStore forward = new PartitionedStore(2);
    PartitionedStore backward = new PartitionedStore(2);
    for (int i = 0; i < 50; i++) {
      forward.load(i % 2, bytes("k" + i), new StoredValue(bytes("v" + i), i, i, 1));
      int j = 49 - i;
      backward.load(j % 2, bytes("k" + j), new StoredValue(bytes("v" + j), j, j, 1));
    }
    assertThat(forward.digest()).isEqualTo(backward.digest());

    backward.put(1, bytes("k1"), bytes("changed"), 60);
    assertThat(forward.digest()).isNotEqualTo(backward.digest());
  }

  /**
   * The apply thread rewrites keys while a query thread reads them: a reader must never find an
   * existing key missing (an overwrite done as remove + add would show one) and must only see
   * whole values that were written, each key's version never going backwards.
   */
  @Test
  void get_andScan_concurrentWithOverwrites_neverMissAKey_andSeeOnlyWholeValues() throws Exception {
    PartitionedStore store = new PartitionedStore(1);
    int keys = 64;
    for (int k = 0; k < keys; k++) {
      store.put(0, bytes("k" + k), bytes("v1"), 1);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        long[] lastVersion = new long[keys];
        for (int round = 0; round < 2_000; round++) {
          for (int k = 0; k < keys; k++) {
            StoredValue v = store.get(0, bytes("k" + k));
            assertThat(v).isNotNull();
            assertThat(v.value()).isEqualTo(bytes("v" + v.version()));
            assertThat(v.version()).isGreaterThanOrEqualTo(lastVersion[k]);
            lastVersion[k] = v.version();
          }
          List<StoredValue> scanned = new ArrayList<>();
          for (Map.Entry<ByteString, StoredValue> e : store.partition(0).entrySet()) {
            scanned.add(e.getValue()); // once per entry, as the view's contract asks
          }
          assertThat(scanned).hasSize(keys);
          scanned.forEach(v -> assertThat(v.value()).isEqualTo(bytes("v" + v.version())));
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    long revision = 2;
    while (reader.isAlive()) {
      for (int k = 0; k < keys && reader.isAlive(); k++) {
        StoredValue current = store.get(0, bytes("k" + k));
        store.put(0, bytes("k" + k), bytes("v" + (current.version() + 1)), revision++);
      }
    }
    reader.join();
    assertThat(failure.get()).isNull();
  }
}
