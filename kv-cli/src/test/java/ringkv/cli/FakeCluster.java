package ringkv.cli;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorReason;
import ringkv.client.AsyncKvClient;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;
import ringkv.client.KvException;
import ringkv.client.PutResult;
import ringkv.client.ResponseMeta;
import ringkv.client.WriteOptions;

/**
 * An in-memory, single-shard stand-in for a cluster; remembers the configs clients were opened
 * with.
 */
final class FakeCluster {
  static final int SHARD = 7;

  final Map<ByteString, KeyValue> data = new HashMap<>();
  final List<KvClientConfig> configs = new ArrayList<>();
  int closedClients;
  long revision = 40;
  @Nullable KvException failure;

  KvClient open(KvClientConfig config) {
    configs.add(config);
    return new Client();
  }

  private ResponseMeta meta() {
    return new ResponseMeta(revision, SHARD, 3, "n1", "n1");
  }

  private void maybeFail() {
    if (failure != null) {
      throw failure;
    }
  }

  static KvException failure(
      Status.Code code, ErrorReason reason, String message, boolean applied) {
    return new KvException(code, reason, message, applied, null);
  }

  private final class Client implements KvClient {
    @Override
    public PutResult put(ByteString key, ByteString value, WriteOptions options) {
      maybeFail();
      revision++;
      KeyValue previous = data.get(key);
      KeyValue next =
          previous == null
              ? new KeyValue(key, value, revision, revision, 1)
              : new KeyValue(
                  key, value, previous.createRevision(), revision, previous.version() + 1);
      data.put(key, next);
      return new PutResult(meta(), options.returnPrevious() ? previous : null);
    }

    @Override
    public GetResult get(ByteString key) {
      maybeFail();
      return new GetResult(meta(), data.get(key));
    }

    @Override
    public DeleteResult delete(ByteString key, WriteOptions options) {
      maybeFail();
      KeyValue previous = data.remove(key);
      if (previous != null) {
        revision++;
      }
      return new DeleteResult(meta(), previous != null, options.returnPrevious() ? previous : null);
    }

    @Override
    public AsyncKvClient async() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      closedClients++;
    }
  }
}
