package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.client.KvClient;
import ringkv.client.KvInvalidArgumentException;
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.router.ShardId;
import ringkv.server.testing.MiniCluster;

/** Scans merged over 3 shards, in pages, across a leader change; range deletes. */
class ScanIT {
  private static final int KEYS = 50_000;
  private static MiniCluster cluster;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.builder().nodes(3).shards(3).replication(3).partitions(256).start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8(String.format("item/%06d", i));
  }

  @Test
  void scanOf50kKeys_overThreeShards_everyKeyOnceInOrder_acrossPages_whileALeaderChanges() {
    KvClient client = cluster.newClient();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      writes.add(client.async().put(key(i), ByteString.copyFromUtf8("v" + i)));
      if (writes.size() == 512) {
        writes.forEach(CompletableFuture::join);
        writes.clear();
      }
    }
    writes.forEach(CompletableFuture::join);
    for (int s = 0; s < 3; s++) {
      assertThat(cluster.stateMachine(0, ShardId.of(s)).keyCount()).as("shard %d holds keys", s).isPositive();
    }

    List<ByteString> seen = new ArrayList<>();
    Scan scan = Scan.prefix(ByteString.copyFromUtf8("item/")).withLimit(1_000);
    int pages = 0;
    int killed = -1;
    while (true) {
      ScanPage page = client.scan(scan);
      page.kvs().forEach(kv -> seen.add(kv.key()));
      pages++;
      if (pages == 20) {
        // a leader change in the middle: stop the node leading shard 0
        killed = cluster.awaitLeader(ShardId.of(0));
        cluster.kill(killed);
      }
      if (!page.hasMore()) {
        break;
      }
      scan = scan.after(page.continuation());
    }
    assertThat(pages).isGreaterThanOrEqualTo(50);
    assertThat(seen).hasSize(KEYS);
    assertThat(seen).isSortedAccordingTo(ByteString.unsignedLexicographicalComparator());
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.get(0)).isEqualTo(key(0));
    assertThat(seen.get(KEYS - 1)).isEqualTo(key(KEYS - 1));
    cluster.restart(killed);
    for (int s = 0; s < 3; s++) {
      cluster.awaitLeader(ShardId.of(s));
    }
  }

  @Test
  void reverseKeysOnlyRange_returnsTheRangeBackwards() {
    KvClient client = cluster.newClient();
    IntStream.range(0, 30).forEach(i -> client.put(ByteString.copyFromUtf8("r/" + (char) ('a' + i % 26) + i), ByteString.copyFromUtf8("x")));
    ScanPage page = client.scan(Scan.range(ByteString.copyFromUtf8("r/b"), ByteString.copyFromUtf8("r/e")).reversed().withKeysOnly());
    List<String> keys = page.kvs().stream().map(kv -> kv.key().toStringUtf8()).toList();
    assertThat(keys).isNotEmpty().allMatch(k -> k.compareTo("r/b") >= 0 && k.compareTo("r/e") < 0);
    assertThat(keys).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(page.kvs()).allMatch(kv -> kv.value().isEmpty());
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void deletePrefix_removesOnlyThoseKeysOnEveryShard() {
    KvClient client = cluster.newClient();
    IntStream.range(0, 200).forEach(i -> client.put(ByteString.copyFromUtf8("tmp/" + i), ByteString.copyFromUtf8("x")));
    client.put(ByteString.copyFromUtf8("tmq"), ByteString.copyFromUtf8("stays"));
    assertThat(client.deletePrefix(ByteString.copyFromUtf8("tmp/"))).isEqualTo(200);
    assertThat(client.scan(Scan.prefix(ByteString.copyFromUtf8("tmp/"))).kvs()).isEmpty();
    assertThat(client.get(ByteString.copyFromUtf8("tmq")).found()).isTrue();
  }

  @Test
  void badRanges_areInvalidArgument_andChangeNothing() {
    KvClient client = cluster.newClient();
    KvInvalidArgumentException backwards = catchThrowableOfType(KvInvalidArgumentException.class,
        () -> client.scan(Scan.range(ByteString.copyFromUtf8("z"), ByteString.copyFromUtf8("a"))));
    assertThat(backwards.getMessage()).contains("end must not sort before start");
    assertThat(catchThrowableOfType(KvInvalidArgumentException.class,
        () -> client.scan(Scan.prefix(ByteString.copyFromUtf8("p")).withLimit(10_001))).getMessage()).contains("10000");
    client.put(ByteString.copyFromUtf8("keep"), ByteString.copyFromUtf8("me"));
    assertThat(catchThrowableOfType(KvInvalidArgumentException.class,
        () -> client.deleteRange(ByteString.copyFromUtf8("z"), ByteString.copyFromUtf8("a"))).getMessage()).contains("end");
    assertThat(client.get(ByteString.copyFromUtf8("keep")).found()).isTrue();
  }

}
