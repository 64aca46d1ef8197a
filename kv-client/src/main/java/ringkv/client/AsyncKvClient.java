package ringkv.client;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking form of {@link KvClient}. Futures complete on a client thread, normally with
 * the result, exceptionally with a {@link KvException}; do not block inside their callbacks.
 * Thread-safe.
 */
public interface AsyncKvClient {
  CompletableFuture<PutResult> put(ByteString key, ByteString value, WriteOptions options);

  default CompletableFuture<PutResult> put(ByteString key, ByteString value) {
    return put(key, value, WriteOptions.DEFAULT);
  }

  default CompletableFuture<GetResult> get(ByteString key) {
    return get(key, ReadOptions.LINEARIZABLE);
  }

  CompletableFuture<GetResult> get(ByteString key, ReadOptions options);

  CompletableFuture<DeleteResult> delete(ByteString key, WriteOptions options);

  /** Runs a transaction atomically inside one shard; see {@link Txn}. */
  CompletableFuture<TxnResult> txn(Txn txn);

  /** One page of a scan across all shards; see {@link Scan}. */
  CompletableFuture<ScanPage> scan(Scan scan);

  /** Puts many keys (in the map's order); atomic per shard, not across shards; see {@link BatchResult}. */
  CompletableFuture<BatchResult> batchPut(java.util.Map<ByteString, ByteString> items);

  /** Deletes many keys; atomic per shard, not across shards; see {@link BatchResult}. */
  CompletableFuture<BatchResult> batchDelete(java.util.List<ByteString> keys);

  /** Deletes the keys in [start, end) (empty end = no bound); atomic per shard, not across shards. Returns how many. */
  CompletableFuture<Long> deleteRange(ByteString start, ByteString end);

  /** Deletes every key with {@code prefix}; atomic per shard, not across shards. Returns how many. */
  CompletableFuture<Long> deletePrefix(ByteString prefix);

  /** Sets the key only if it does not exist. */
  CompletableFuture<CasResult> putIfAbsent(ByteString key, ByteString value);

  /** Sets the key only if its current value is {@code expectedValue}. */
  CompletableFuture<CasResult> compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue);

  /** Sets the key only if its current version is {@code expectedVersion} (0 = absent). */
  CompletableFuture<CasResult> compareAndSet(ByteString key, long expectedVersion, ByteString newValue);

  /** Deletes the key only if its current value is {@code expectedValue}. */
  CompletableFuture<CasResult> compareAndDelete(ByteString key, ByteString expectedValue);

  default CompletableFuture<DeleteResult> delete(ByteString key) {
    return delete(key, WriteOptions.DEFAULT);
  }
}
