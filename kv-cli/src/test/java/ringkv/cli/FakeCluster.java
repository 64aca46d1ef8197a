package ringkv.cli;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorReason;
import ringkv.client.BatchResult;
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
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.client.WriteOptions;

/**
 * An in-memory stand-in for a cluster; remembers the configs clients were opened with. Keys live
 * in one map sorted as the server sorts them (unsigned bytes); every key is in shard {@link
 * #SHARD} unless {@link #shards} says otherwise, which only batches look at.
 */
final class FakeCluster {
  static final int SHARD = 7;
  /** The server's largest scan page. */
  static final int MAX_SCAN_LIMIT = 10_000;

  private static final Comparator<ByteString> KEYS = ByteString.unsignedLexicographicalComparator();
  private static final ByteString CONTINUATION = ByteString.copyFromUtf8("after:");

  final NavigableMap<ByteString, KeyValue> data = new TreeMap<>(KEYS);
  final List<KvClientConfig> configs = new ArrayList<>();
  int closedClients;
  long revision = 40;
  @Nullable KvException failure;
  /** The options of every get, in order. */
  final List<ReadOptions> reads = new ArrayList<>();
  /** Every transaction run, in order. */
  final List<Txn> txns = new ArrayList<>();
  /** Every scan page asked for, in order. */
  final List<Scan> scans = new ArrayList<>();
  /** Every range delete, in order, as [start, end) (a prefix delete as its range). */
  final List<List<ByteString>> deletedRanges = new ArrayList<>();
  /** Every batch sent: its keys in request order. */
  final List<List<ByteString>> batches = new ArrayList<>();
  /** The shard of a key, for batches. */
  ToIntFunction<ByteString> shards = key -> SHARD;
  /** Shards whose part of a batch fails (no leader): their items are not applied. */
  final Set<Integer> failingShards = new HashSet<>();

  /**
   * A client on this cluster. The methods of {@link Client} answer; a {@link KvClient} method it
   * does not model throws {@link UnsupportedOperationException}, so the fake keeps
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

  /** Stores a key directly, as a put would (next revision), without a client. */
  void seed(String key, String value) {
    revision++;
    ByteString k = ByteString.copyFromUtf8(key);
    KeyValue previous = data.get(k);
    data.put(
        k,
        previous == null
            ? new KeyValue(k, ByteString.copyFromUtf8(value), revision, revision, 1)
            : new KeyValue(
                k, ByteString.copyFromUtf8(value), previous.createRevision(), revision, previous.version() + 1));
  }

  private ResponseMeta meta() {
    return new ResponseMeta(revision, SHARD, 3, "n1", "n1");
  }

  static KvException invalid(String message) {
    return failure(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, message, false);
  }

  /** The smallest key after every key with {@code prefix}; empty when there is none. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] bytes = prefix.toByteArray();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xff) {
        bytes[i]++;
        return ByteString.copyFrom(bytes, 0, i + 1);
      }
    }
    return ByteString.EMPTY;
  }

  /** The keys in [start, end) (empty end: no bound), checked as the server checks them. */
  private NavigableMap<ByteString, KeyValue> range(ByteString start, ByteString end) {
    if (!end.isEmpty() && KEYS.compare(end, start) < 0) {
      throw invalid("end must not sort before start (the range is [start, end), bytewise)");
    }
    return end.isEmpty() ? data.tailMap(start, true) : data.subMap(start, true, end, false);
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

    /**
     * A page as the server builds one: the range (or prefix) after the continuation, at most
     * {@code limit} keys, and a continuation (here {@code "after:" + last key}) exactly when more
     * keys follow.
     */
    public ScanPage scan(Scan scan) {
      maybeFail();
      scans.add(scan);
      if (scan.limit() < 0 || scan.limit() > MAX_SCAN_LIMIT) {
        throw invalid("limit must be between 0 (default 1000) and 10000, got " + scan.limit());
      }
      if (!scan.prefix().isEmpty() && !(scan.start().isEmpty() && scan.end().isEmpty())) {
        throw invalid("give either prefix or start/end, not both");
      }
      NavigableMap<ByteString, KeyValue> keys =
          scan.prefix().isEmpty()
              ? range(scan.start(), scan.end())
              : range(scan.prefix(), prefixEnd(scan.prefix()));
      if (scan.reverse()) {
        keys = keys.descendingMap();
      }
      if (!scan.continuation().isEmpty()) {
        ByteString after = scan.continuation().substring(CONTINUATION.size());
        keys = keys.tailMap(after, false);
      }
      int limit = scan.limit() == 0 ? 1000 : scan.limit();
      List<KeyValue> page = new ArrayList<>();
      for (KeyValue kv : keys.values()) {
        if (page.size() == limit) {
          break;
        }
        page.add(
            scan.keysOnly()
                ? new KeyValue(kv.key(), ByteString.EMPTY, kv.createRevision(), kv.modRevision(), kv.version())
                : kv);
      }
      boolean more = keys.size() > page.size();
      ByteString continuation =
          more ? CONTINUATION.concat(page.get(page.size() - 1).key()) : ByteString.EMPTY;
      return new ScanPage(new ResponseMeta(revision, 0, 3, "", "n1"), page, continuation);
    }

    public long deleteRange(ByteString start, ByteString end) {
      maybeFail();
      if (start.isEmpty()) {
        throw invalid("DeleteRange needs a start or a prefix (to delete every key, use start = 0x00)");
      }
      NavigableMap<ByteString, KeyValue> keys = range(start, end);
      deletedRanges.add(List.of(start, end));
      long deleted = keys.size();
      keys.clear();
      if (deleted > 0) {
        revision++;
      }
      return deleted;
    }

    public long deletePrefix(ByteString prefix) {
      return deleteRange(prefix, prefixEnd(prefix));
    }

    public BatchResult batchPut(Map<ByteString, ByteString> items) {
      return batch(new ArrayList<>(items.keySet()), items);
    }

    public BatchResult batchDelete(List<ByteString> keys) {
      return batch(keys, null);
    }

    /**
     * Groups the items by shard; each group not in {@link #failingShards} is applied at one new
     * revision, the others fail whole, as the server's per-shard groups do.
     */
    private BatchResult batch(List<ByteString> keys, @Nullable Map<ByteString, ByteString> puts) {
      maybeFail();
      if (keys.isEmpty()) {
        throw invalid("a batch needs at least one item");
      }
      batches.add(List.copyOf(keys));
      Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        groups.computeIfAbsent(shards.applyAsInt(keys.get(i)), s -> new ArrayList<>()).add(i);
      }
      BatchResult.Item[] items = new BatchResult.Item[keys.size()];
      for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
        int shard = group.getKey();
        if (failingShards.contains(shard)) {
          for (int i : group.getValue()) {
            items[i] = new BatchResult.Item(keys.get(i), false, 0, shard, "no leader for shard " + shard, false);
          }
          continue;
        }
        revision++;
        for (int i : group.getValue()) {
          ByteString key = keys.get(i);
          boolean deleted = false;
          if (puts != null) {
            KeyValue previous = data.get(key);
            data.put(
                key,
                previous == null
                    ? new KeyValue(key, puts.get(key), revision, revision, 1)
                    : new KeyValue(key, puts.get(key), previous.createRevision(), revision, previous.version() + 1));
          } else {
            deleted = data.remove(key) != null;
          }
          items[i] = new BatchResult.Item(key, true, revision, shard, "", deleted);
        }
      }
      return new BatchResult(new ResponseMeta(0, 0, 3, "", "n1"), List.of(items));
    }

    public void close() {
      closedClients++;
    }
  }
}
