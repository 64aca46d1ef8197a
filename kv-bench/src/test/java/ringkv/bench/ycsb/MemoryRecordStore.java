package ringkv.bench.ycsb;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** An in-memory {@link RecordStore} with hooks for races and failures. */
final class MemoryRecordStore implements RecordStore {
  /** A failure carrying a gRPC code, as a real store's exception would. */
  static final class CodedException extends RuntimeException {
    final String code;

    CodedException(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  final TreeMap<ByteString, Versioned> data = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
  int gets;
  int conditionalPuts;
  /** Before each of the next N conditional puts, another writer bumps the key's version. */
  int racesBeforeConditionalPut;
  @Nullable Supplier<RuntimeException> failure;

  @Override
  public synchronized @Nullable Versioned get(ByteString key) {
    maybeFail();
    gets++;
    return data.get(key);
  }

  @Override
  public synchronized void put(ByteString key, ByteString value) {
    maybeFail();
    Versioned old = data.get(key);
    data.put(key, new Versioned(value, old == null ? 1 : old.version() + 1));
  }

  @Override
  public synchronized ConditionalPut putIfVersion(ByteString key, long expectedVersion, ByteString value) {
    maybeFail();
    conditionalPuts++;
    if (racesBeforeConditionalPut > 0) {
      racesBeforeConditionalPut--;
      Versioned old = data.get(key);
      put(key, old == null ? RecordCodec.encode(java.util.Map.of()) : old.value());
    }
    Versioned old = data.get(key);
    long version = old == null ? 0 : old.version();
    if (version != expectedVersion) {
      return ConditionalPut.lost(old);
    }
    put(key, value);
    return ConditionalPut.WRITTEN;
  }

  @Override
  public synchronized void delete(ByteString key) {
    maybeFail();
    data.remove(key);
  }

  @Override
  public synchronized List<ByteString> scan(ByteString start, ByteString end, int limit) {
    maybeFail();
    List<ByteString> values = new ArrayList<>();
    for (Versioned v : data.subMap(start, true, end, false).values()) {
      if (values.size() == limit) {
        break;
      }
      values.add(v.value());
    }
    return values;
  }

  @Override
  public Failure describe(Exception failure) {
    return failure instanceof CodedException e
        ? new Failure(e.code, e.getMessage())
        : new Failure("UNKNOWN", failure.toString());
  }

  private void maybeFail() {
    if (failure != null) {
      throw failure.get();
    }
  }
}
