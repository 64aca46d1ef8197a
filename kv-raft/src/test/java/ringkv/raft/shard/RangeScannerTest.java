package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.raft.shard.LogFixture.bytes;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.ScanQuery;
import ringkv.api.v1.ScanResult;

class RangeScannerTest {
  /** Keys k00..k29 spread over 8 partitions, several of them left empty. */
  private static PartitionedStore store() {
    PartitionedStore store = new PartitionedStore(16);
    for (int i = 0; i < 30; i++) {
      store.put(i % 8, bytes(String.format("k%02d", i)), bytes("v" + i), i + 1);
    }
    return store;
  }

  private static List<String> keys(ScanResult result) {
    return result.getKvsList().stream().map(KeyValue::getKey).map(ByteString::toStringUtf8).toList();
  }

  @Test
  void scan_mergesPartitionsInKeyOrder_andStopsAtTheLimit() {
    ScanResult page = RangeScanner.scan(store(), ScanQuery.newBuilder().setStart(bytes("k05")).setEnd(bytes("k15")).setLimit(4).build(), p -> true);
    assertThat(keys(page)).containsExactly("k05", "k06", "k07", "k08");
    assertThat(page.getMore()).isTrue();
    ScanResult all = RangeScanner.scan(store(), ScanQuery.newBuilder().setStart(bytes("k05")).setEnd(bytes("k15")).build(), p -> true);
    assertThat(all.getKvsCount()).isEqualTo(10);
    assertThat(all.getMore()).isFalse();
  }

  @Test
  void scan_reverseAndKeysOnly_andOpenEnd() {
    ScanResult page = RangeScanner.scan(store(), ScanQuery.newBuilder().setStart(bytes("k27")).setReverse(true).setKeysOnly(true).build(), p -> true);
    assertThat(keys(page)).containsExactly("k29", "k28", "k27");
    assertThat(page.getKvsList()).allMatch(kv -> kv.getValue().isEmpty());
  }

  @Test
  void deleteRange_removesOnlyTheRange_inEveryPartition_andCountsThem() {
    PartitionedStore store = store();
    assertThat(RangeScanner.deleteRange(store, bytes("k10"), bytes("k20"), p -> true)).isEqualTo(10);
    assertThat(store.keyCount()).isEqualTo(20);
    assertThat(RangeScanner.deleteRange(store, bytes("k10"), bytes("k20"), p -> true)).isZero();
    assertThat(RangeScanner.deleteRange(store, bytes("k25"), ByteString.EMPTY, p -> true)).isEqualTo(5);
  }
}
