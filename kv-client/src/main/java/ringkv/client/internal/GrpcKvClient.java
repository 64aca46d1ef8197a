package ringkv.client.internal;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import ringkv.client.AsyncKvClient;
import ringkv.client.BatchResult;
import ringkv.client.CasResult;
import ringkv.client.Txn;
import ringkv.client.TxnResult;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;
import ringkv.client.KvException;
import ringkv.client.PutResult;
import ringkv.client.ReadOptions;
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.client.WriteOptions;

/**
 * {@link KvClient} over gRPC: the blocking face of {@link GrpcAsyncKvClient}. Its own calls
 * complete on the network thread, since the only thing waiting on them is the calling thread;
 * {@link #async()} is the ordinary asynchronous client over the same connections.
 */
public final class GrpcKvClient implements KvClient {
  private final GrpcAsyncKvClient async;
  private final GrpcAsyncKvClient blocking;

  public GrpcKvClient(KvClientConfig config) {
    this.async = new GrpcAsyncKvClient(config);
    this.blocking = async.completingOnNetworkThread();
  }

  @Override
  public PutResult put(ByteString key, ByteString value, WriteOptions options) {
    return await(blocking.put(key, value, options));
  }

  @Override
  public GetResult get(ByteString key, ReadOptions options) {
    return await(blocking.get(key, options));
  }

  @Override
  public DeleteResult delete(ByteString key, WriteOptions options) {
    return await(blocking.delete(key, options));
  }

  @Override
  public TxnResult txn(Txn txn) {
    return await(blocking.txn(txn));
  }

  @Override
  public ScanPage scan(Scan scan) {
    return await(blocking.scan(scan));
  }

  @Override
  public BatchResult batchPut(java.util.Map<ByteString, ByteString> items) {
    return await(blocking.batchPut(items));
  }

  @Override
  public BatchResult batchDelete(java.util.List<ByteString> keys) {
    return await(blocking.batchDelete(keys));
  }

  @Override
  public long deleteRange(ByteString start, ByteString end) {
    return await(blocking.deleteRange(start, end));
  }

  @Override
  public long deletePrefix(ByteString prefix) {
    return await(blocking.deletePrefix(prefix));
  }

  @Override
  public CasResult putIfAbsent(ByteString key, ByteString value) {
    return await(blocking.putIfAbsent(key, value));
  }

  @Override
  public CasResult compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue) {
    return await(blocking.compareAndSet(key, expectedValue, newValue));
  }

  @Override
  public CasResult compareAndSet(ByteString key, long expectedVersion, ByteString newValue) {
    return await(blocking.compareAndSet(key, expectedVersion, newValue));
  }

  @Override
  public CasResult compareAndDelete(ByteString key, ByteString expectedValue) {
    return await(blocking.compareAndDelete(key, expectedValue));
  }

  @Override
  public AsyncKvClient async() {
    return async;
  }

  @Override
  public void close() {
    async.close();
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KvException kv) {
        // rethrown on the caller's thread with a stack that shows the caller
        kv.addSuppressed(new Exception("awaited here"));
        throw kv;
      }
      throw e;
    }
  }
}
