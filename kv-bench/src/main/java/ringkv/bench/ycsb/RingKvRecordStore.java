package ringkv.bench.ycsb;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorReason;
import ringkv.client.CasResult;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.KvClient;
import ringkv.client.KvException;
import ringkv.client.ReadOptions;
import ringkv.client.Scan;
import ringkv.client.ScanPage;

/** A {@link RecordStore} over the RingKV Java client (blocking calls). */
final class RingKvRecordStore implements RecordStore, AutoCloseable {
  // the server caps a scan page at 10,000 keys
  private static final int MAX_PAGE = 10_000;

  private final KvClient client;
  private final ReadOptions readOptions;

  RingKvRecordStore(KvClient client, ReadOptions readOptions) {
    this.client = client;
    this.readOptions = readOptions;
  }

  static RingKvRecordStore open(RingKvYcsbSettings settings) {
    return new RingKvRecordStore(KvClient.connect(settings.clientConfig()), settings.readOptions());
  }

  @Override
  public @Nullable Versioned get(ByteString key) {
    GetResult result = client.get(key, readOptions);
    KeyValue kv = result.kv();
    return kv == null ? null : new Versioned(kv.value(), kv.version());
  }

  @Override
  public void put(ByteString key, ByteString value) {
    client.put(key, value);
  }

  @Override
  public ConditionalPut putIfVersion(ByteString key, long expectedVersion, ByteString value) {
    // a transaction: if version == expected then put, else get (the client's compareAndSet)
    CasResult result = client.compareAndSet(key, expectedVersion, value);
    if (result.succeeded()) {
      return ConditionalPut.WRITTEN;
    }
    KeyValue current = result.current();
    return ConditionalPut.lost(current == null ? null : new Versioned(current.value(), current.version()));
  }

  @Override
  public void delete(ByteString key) {
    client.delete(key);
  }

  @Override
  public List<ByteString> scan(ByteString start, ByteString end, int limit) {
    List<ByteString> values = new ArrayList<>(limit);
    Scan scan = Scan.range(start, end);
    while (values.size() < limit) {
      ScanPage page = client.scan(scan.withLimit(Math.min(limit - values.size(), MAX_PAGE)));
      page.kvs().forEach(kv -> values.add(kv.value()));
      if (!page.hasMore() || page.kvs().isEmpty()) {
        break;
      }
      scan = scan.after(page.continuation());
    }
    return values;
  }

  @Override
  public Failure describe(Exception failure) {
    return failureOf(failure);
  }

  static Failure failureOf(Exception failure) {
    if (failure instanceof KvException e) {
      String reason = e.reason() == ErrorReason.ERROR_REASON_UNSPECIFIED ? "" : e.reason().name() + ", ";
      return new Failure(e.code().name(), reason + (e.mayHaveBeenApplied() ? "may have been applied, " : "")
          + e.getMessage());
    }
    return new Failure("UNKNOWN", failure.toString());
  }

  @Override
  public void close() {
    client.close();
  }
}
