package ringkv.cli;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorReason;
import ringkv.client.CasResult;
import ringkv.client.Condition;
import ringkv.client.TxnOp;
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
  /** The options of every get, in order. */
  final List<ReadOptions> reads = new ArrayList<>();
  /** Every transaction run, in order. */
  final List<Txn> txns = new ArrayList<>();

  /**
   * A client on this cluster. The methods of {@link Client} answer; a {@link KvClient} method it
   * does not model (scans, batches) throws {@link UnsupportedOperationException}, so the fake keeps
   * compiling while the client API grows.
   */
  KvClient open(KvClientConfig config) {
    configs.add(config);
    Client client = new Client();
    InvocationHandler handler =
        (proxy, method, args) -> {
          Method modeled;
          try {
            modeled = Client.class.getMethod(method.getName(), method.getParameterTypes());
          } catch (NoSuchMethodException e) {
            if (method.isDefault()) {
              return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException("the fake does not model " + method);
          }
          try {
            return modeled.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (KvClient)
        Proxy.newProxyInstance(
            KvClient.class.getClassLoader(), new Class<?>[] {KvClient.class}, handler);
  }

  private ResponseMeta meta() {
    return new ResponseMeta(revision, SHARD, 3, "n1", "n1");
  }

  /** Whether {@code condition} holds for the map now (a missing key has version and revisions 0). */
  boolean holds(Condition condition) {
    KeyValue current = data.get(condition.key());
    int order;
    switch (condition.target()) {
      case EXISTS -> {
        return (current != null) == (condition.number() == 1);
      }
      case VALUE -> {
        if (current == null) {
          return condition.relation() == Condition.Relation.NOT_EQUAL;
        }
        order =
            ByteString.unsignedLexicographicalComparator()
                .compare(current.value(), condition.value());
      }
      case VERSION -> order = Long.compare(current == null ? 0 : current.version(), condition.number());
      case CREATE_REVISION ->
          order = Long.compare(current == null ? 0 : current.createRevision(), condition.number());
      case MOD_REVISION ->
          order = Long.compare(current == null ? 0 : current.modRevision(), condition.number());
      default -> throw new IllegalArgumentException(condition.toString());
    }
    return switch (condition.relation()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case GREATER -> order > 0;
      case LESS -> order < 0;
    };
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

  /** The modeled {@link KvClient} methods, same signatures. */
  public final class Client {
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

    public GetResult get(ByteString key, ReadOptions options) {
      maybeFail();
      reads.add(options);
      return new GetResult(meta(), data.get(key));
    }

    /**
     * Evaluates every condition against the map, then runs the branch that applies; a branch with
     * a put or delete takes one new revision for all its ops, as a real shard applies a Txn at one
     * log index.
     */
    public TxnResult txn(Txn txn) {
      maybeFail();
      txns.add(txn);
      boolean succeeded = txn.conditions().stream().allMatch(FakeCluster.this::holds);
      List<TxnOp> ops = succeeded ? txn.then() : txn.otherwise();
      boolean writes = ops.stream().anyMatch(op -> !(op instanceof TxnOp.Get));
      long next = writes ? revision + 1 : revision;
      List<Object> results = new ArrayList<>();
      for (TxnOp op : ops) {
        ResponseMeta at = new ResponseMeta(next, SHARD, 3, "n1", "n1");
        if (op instanceof TxnOp.Put put) {
          KeyValue previous = data.get(put.key());
          data.put(
              put.key(),
              previous == null
                  ? new KeyValue(put.key(), put.value(), next, next, 1)
                  : new KeyValue(
                      put.key(), put.value(), previous.createRevision(), next, previous.version() + 1));
          results.add(new PutResult(at, put.returnPrevious() ? previous : null));
        } else if (op instanceof TxnOp.Get get) {
          results.add(new GetResult(at, data.get(get.key())));
        } else if (op instanceof TxnOp.Delete delete) {
          KeyValue previous = data.remove(delete.key());
          results.add(
              new DeleteResult(at, previous != null, delete.returnPrevious() ? previous : null));
        }
      }
      revision = next;
      return new TxnResult(meta(), succeeded, results);
    }

    public CasResult putIfAbsent(ByteString key, ByteString value) {
      maybeFail();
      return data.containsKey(key) ? new CasResult(meta(), false, data.get(key)) : written(key, value);
    }

    public CasResult compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue) {
      KeyValue current = data.get(key);
      return current != null && current.value().equals(expectedValue) ? written(key, newValue) : new CasResult(meta(), false, current);
    }

    public CasResult compareAndSet(ByteString key, long expectedVersion, ByteString newValue) {
      KeyValue current = data.get(key);
      long version = current == null ? 0 : current.version();
      return version == expectedVersion ? written(key, newValue) : new CasResult(meta(), false, current);
    }

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

    public DeleteResult delete(ByteString key, WriteOptions options) {
      maybeFail();
      KeyValue previous = data.remove(key);
      if (previous != null) {
        revision++;
      }
      return new DeleteResult(meta(), previous != null, options.returnPrevious() ? previous : null);
    }

    public void close() {
      closedClients++;
    }
  }
}
