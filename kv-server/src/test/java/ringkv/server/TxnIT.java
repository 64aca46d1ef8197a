package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.client.BatchResult;
import ringkv.client.CasResult;
import ringkv.client.Condition;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.client.KvInvalidArgumentException;
import ringkv.client.Txn;
import ringkv.client.TxnOp;
import ringkv.client.TxnResult;
import ringkv.router.ShardId;
import ringkv.server.testing.MiniCluster;

/** Compare-and-set and transactions through the real client on 3 nodes, 3 shards. */
class TxnIT {
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

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void sixteenClients_incrementOneCounterByCas_forTenSeconds_finalValueEqualsSuccesses() throws Exception {
    ByteString counter = bytes("counter");
    cluster.newClient().putIfAbsent(counter, bytes("0"));
    AtomicLong successes = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      KvClient client = cluster.newClient();
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          ByteString current = client.get(counter).kv().value();
          long next = Long.parseLong(current.toStringUtf8()) + 1;
          CasResult cas = client.compareAndSet(counter, current, bytes(Long.toString(next)));
          if (cas.succeeded()) {
            successes.incrementAndGet();
          } else {
            conflicts.incrementAndGet();
            assertThat(cas.current()).as("a failed CAS returns the current value").isNotNull();
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long finalValue = Long.parseLong(cluster.newClient().get(counter).kv().value().toStringUtf8());
    System.out.printf("CAS counter: %d successes, %d conflicts in 10 s%n", successes.get(), conflicts.get());
    assertThat(successes.get()).isPositive();
    assertThat(finalValue).isEqualTo(successes.get());
  }

  @Test
  void putIfAbsentRace_onOneKey_exactlyOneWinner() throws Exception {
    ByteString key = bytes("only-once");
    int racers = 12;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CasResult>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      KvClient client = cluster.newClient();
      String value = "racer-" + i;
      results.add(pool.submit(() -> {
        go.await();
        return client.putIfAbsent(key, bytes(value));
      }));
    }
    go.countDown();
    List<CasResult> done = new ArrayList<>();
    for (Future<CasResult> f : results) {
      done.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    List<CasResult> winners = done.stream().filter(CasResult::succeeded).toList();
    assertThat(winners).hasSize(1);
    String winner = winners.get(0).current().value().toStringUtf8();
    assertThat(cluster.newClient().get(key).kv().value().toStringUtf8()).isEqualTo(winner);
    assertThat(done).filteredOn(r -> !r.succeeded()).allSatisfy(r -> assertThat(r.current().value().toStringUtf8()).isEqualTo(winner));
  }

  @Test
  void txnWithKeysOnTwoShards_isRefusedNamingTheShards_andNothingIsApplied() {
    KvClient client = cluster.newClient();
    // find two keys on different shards
    ByteString a = bytes("a");
    ByteString b = null;
    ShardId shardA = shardOf(client, a);
    for (int i = 0; b == null; i++) {
      ByteString candidate = bytes("b" + i);
      if (!shardOf(client, candidate).equals(shardA)) {
        b = candidate;
      }
    }
    ByteString other = b;
    KvInvalidArgumentException e = catchThrowableOfType(KvInvalidArgumentException.class,
        () -> client.txn(Txn.when().then(TxnOp.put(a, bytes("1")), TxnOp.put(other, bytes("2")))));
    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_FIELD);
    assertThat(e.getMessage()).contains("one shard", "'a'", "'" + other.toStringUtf8() + "'", "shard-");
    assertThat(client.get(a).found()).isFalse();
    assertThat(client.get(other).found()).isFalse();
  }

  @Test
  void hashTaggedKeys_shareAShard_andChangeTogetherAtomically() {
    KvClient client = cluster.newClient();
    ByteString cart = bytes("{user42}:cart");
    ByteString profile = bytes("{user42}:profile");
    TxnResult result = client.txn(Txn.when(Condition.absent(cart), Condition.absent(profile))
        .then(TxnOp.put(cart, bytes("3 items")), TxnOp.put(profile, bytes("Ada")), TxnOp.get(cart))
        .otherwise(TxnOp.get(cart)));
    assertThat(result.succeeded()).isTrue();
    assertThat(((GetResult) result.results().get(2)).kv().value().toStringUtf8()).isEqualTo("3 items");
    GetResult c = client.get(cart);
    GetResult p = client.get(profile);
    assertThat(c.kv().modRevision()).isEqualTo(p.kv().modRevision());
    assertThat(c.meta().shardId()).isEqualTo(p.meta().shardId());
    // the same Txn again: the condition fails, nothing changes, the else branch answers
    TxnResult again = client.txn(Txn.when(Condition.absent(cart)).then(TxnOp.delete(cart)).otherwise(TxnOp.get(cart)));
    assertThat(again.succeeded()).isFalse();
    assertThat(client.get(cart).found()).isTrue();
  }

  @Test
  void compareAndDelete_andVersionCas() {
    KvClient client = cluster.newClient();
    ByteString key = bytes("cad");
    client.put(key, bytes("v1"));
    assertThat(client.compareAndDelete(key, bytes("wrong")).succeeded()).isFalse();
    assertThat(client.compareAndSet(key, 1, bytes("v2")).succeeded()).isTrue();
    assertThat(client.compareAndSet(key, 1, bytes("v3")).succeeded()).isFalse();
    CasResult deleted = client.compareAndDelete(key, bytes("v2"));
    assertThat(deleted.succeeded()).isTrue();
    assertThat(client.get(key).found()).isFalse();
  }

  @Test
  void batchPut_overAllShards_everyItemOk_thenBatchDelete() {
    KvClient client = cluster.newClient();
    java.util.Map<ByteString, ByteString> items = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      items.put(bytes("batch/" + i), bytes("v" + i));
    }
    BatchResult put = client.batchPut(items);
    assertThat(put.allOk()).isTrue();
    assertThat(put.items()).hasSize(500);
    assertThat(put.items().stream().map(BatchResult.Item::shardId).distinct()).hasSize(3);
    // items of one shard share one revision: each shard's group was one atomic entry
    java.util.Map<Integer, java.util.Set<Long>> revisions = new java.util.HashMap<>();
    put.items().forEach(item -> revisions.computeIfAbsent(item.shardId(), s -> new java.util.HashSet<>()).add(item.revision()));
    assertThat(revisions.values()).allSatisfy(r -> assertThat(r).hasSize(1));
    assertThat(client.get(bytes("batch/499")).kv().value().toStringUtf8()).isEqualTo("v499");

    BatchResult deleted = client.batchDelete(java.util.List.of(bytes("batch/1"), bytes("batch/2"), bytes("never-there")));
    assertThat(deleted.items()).extracting(BatchResult.Item::deleted).containsExactly(true, true, false);
    assertThat(client.get(bytes("batch/1")).found()).isFalse();
  }

  @Test
  void batchOverTheItemLimit_isInvalidArgument_andNothingIsApplied() {
    KvClient client = cluster.newClient();
    java.util.Map<ByteString, ByteString> items = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 1_001; i++) {
      items.put(bytes("toomany/" + i), bytes("v"));
    }
    KvInvalidArgumentException e = catchThrowableOfType(KvInvalidArgumentException.class, () -> client.batchPut(items));
    assertThat(e.getMessage()).contains("1000");
    assertThat(client.get(bytes("toomany/0")).found()).isFalse();
  }

  private static ShardId shardOf(KvClient client, ByteString key) {
    return ShardId.of(client.get(key).meta().shardId());
  }
}
