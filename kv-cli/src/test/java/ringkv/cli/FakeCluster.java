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
import ringkv.client.CasResult;
import ringkv.client.ReadOptions;
import ringkv.client.Txn;
import ringkv.client.TxnResult;
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
    public GetResult get(ByteString key, ReadOptions options) {
      maybeFail();
      return new GetResult(meta(), data.get(key));
    }

    @Override
    public TxnResult txn(Txn txn) {
      throw new UnsupportedOperationException("kvctl has no txn command yet; the fake does not model transactions");
    }

    @Override
    public CasResult putIfAbsent(ByteString key, ByteString value) {
      return data.containsKey(key) ? new CasResult(meta(), false, data.get(key)) : written(key, value);
    }

    @Override
    public CasResult compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue) {
      KeyValue current = data.get(key);
      return current != null && current.value().equals(expectedValue) ? written(key, newValue) : new CasResult(meta(), false, current);
    }

    @Override
    public CasResult compareAndSet(ByteString key, long expectedVersion, ByteString newValue) {
      KeyValue current = data.get(key);
      long version = current == null ? 0 : current.version();
      return version == expectedVersion ? written(key, newValue) : new CasResult(meta(), false, current);
    }

    @Override
    public CasResult compareAndDelete(ByteString key, ByteString expectedValue) {
      KeyValue current = data.get(key);
      if (current == null || !current.value().equals(expectedValue)) {
        return new CasResult(meta(), false, current);
      }
      delete(key, WriteOptions.DEFAULT);
      return new CasResult(meta(), true, null);
    }

    private CasResult written(ByteString key, ByteString value) {
      put(key, value, WriteOptions.DEFAULT);
      return new CasResult(meta(), true, data.get(key));
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
