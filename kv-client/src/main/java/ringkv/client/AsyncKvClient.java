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

  CompletableFuture<GetResult> get(ByteString key);

  CompletableFuture<DeleteResult> delete(ByteString key, WriteOptions options);

  default CompletableFuture<DeleteResult> delete(ByteString key) {
    return delete(key, WriteOptions.DEFAULT);
  }
}
