package ringkv.client;

import com.google.protobuf.ByteString;
import ringkv.client.internal.GrpcKvClient;

/**
 * A RingKV client. Thread-safe; create one per application and share it.
 *
 * <p>Every call has a deadline ({@link KvClientConfig#callTimeout()}). Within it the client retries
 * a request that failed with a retryable error (no leader yet, a node down) on another node,
 * with jittered backoff. A retried write keeps its original (client id, sequence), so the cluster
 * applies it at most once. When a write fails, {@link KvException#mayHaveBeenApplied()} says
 * whether it might nevertheless have been applied.
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.connect(KvClientConfig.builder().endpoints("127.0.0.1:8001").build())) {
 *   kv.put(ByteString.copyFromUtf8("greeting"), ByteString.copyFromUtf8("hello"));
 *   GetResult r = kv.get(ByteString.copyFromUtf8("greeting"));
 * }
 * }</pre>
 */
public interface KvClient extends AutoCloseable {
  /** Connects lazily: no call is made until the first request. */
  static KvClient connect(KvClientConfig config) {
    return new GrpcKvClient(config);
  }

  /** Sets key to value. Keys are 1 byte to 8 KiB, values at most 1 MiB by default. */
  PutResult put(ByteString key, ByteString value, WriteOptions options);

  default PutResult put(ByteString key, ByteString value) {
    return put(key, value, WriteOptions.DEFAULT);
  }

  /** Reads a key, linearizably: the answer reflects every write acknowledged before the call. */
  default GetResult get(ByteString key) {
    return get(key, ReadOptions.LINEARIZABLE);
  }

  /** Reads a key with the given consistency; see {@link ReadOptions}. */
  GetResult get(ByteString key, ReadOptions options);

  /** Deletes a key; deleting a missing key is not an error. */
  DeleteResult delete(ByteString key, WriteOptions options);

  default DeleteResult delete(ByteString key) {
    return delete(key, WriteOptions.DEFAULT);
  }

  /** Runs a transaction atomically inside one shard; see {@link Txn}. */
  TxnResult txn(Txn txn);

  /** One page of a scan across all shards; see {@link Scan}. */
  ScanPage scan(Scan scan);

  /** Puts many keys (in the map's order); atomic per shard, not across shards; see {@link BatchResult}. */
  BatchResult batchPut(java.util.Map<ByteString, ByteString> items);

  /** Deletes many keys; atomic per shard, not across shards; see {@link BatchResult}. */
  BatchResult batchDelete(java.util.List<ByteString> keys);

  /** Deletes the keys in [start, end) (empty end = no bound); atomic per shard, not across shards. */
  long deleteRange(ByteString start, ByteString end);

  /** Deletes every key with {@code prefix}; atomic per shard, not across shards. */
  long deletePrefix(ByteString prefix);

  /** Sets the key only if it does not exist. */
  CasResult putIfAbsent(ByteString key, ByteString value);

  /** Sets the key only if its current value is {@code expectedValue}. */
  CasResult compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue);

  /** Sets the key only if its current version is {@code expectedVersion} (0 = absent). */
  CasResult compareAndSet(ByteString key, long expectedVersion, ByteString newValue);

  /** Deletes the key only if its current value is {@code expectedValue}. */
  CasResult compareAndDelete(ByteString key, ByteString expectedValue);

  /** The same operations, non-blocking. */
  AsyncKvClient async();

  /** Releases connections and threads. Idempotent. */
  @Override
  void close();
}
