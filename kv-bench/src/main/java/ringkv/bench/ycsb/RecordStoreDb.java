package ringkv.bench.ycsb;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB's operations over a {@link RecordStore}: the one place that decides the semantics both
 * bindings share, so that RingKV and etcd run exactly the same client-side work.
 *
 * <ul>
 *   <li>A record is one key, {@code <table>/<record key>}, whose value is the {@link RecordCodec}
 *       encoding of its fields.
 *   <li>{@code read} fetches the record and keeps the asked fields ({@code null}: all).
 *   <li>{@code insert} writes the whole record, replacing any previous one.
 *   <li>{@code update} merges the given fields into the record (YCSB's semantics: with the default
 *       {@code writeallfields=false} an update carries one field): it reads the record, merges,
 *       and writes it back only if the key's version is unchanged, in one transaction that
 *       otherwise returns the record as it is now; after a lost race it merges into that record
 *       and tries again, up to {@value #MAX_UPDATE_ATTEMPTS} conditional writes. An update of a
 *       missing record creates it with the given fields. So an update costs a read and a
 *       conditional write on both stores, plus one conditional write per lost race.
 *   <li>{@code scan} returns the first {@code recordcount} records of the table from
 *       {@code startkey} on, in key order.
 *   <li>A failure becomes a YCSB {@link Status} whose description starts with the gRPC status
 *       code; the first failure of each operation and code is also logged at WARN, because YCSB
 *       prints only the counts per status name.
 * </ul>
 */
public abstract class RecordStoreDb extends DB {
  /** Conditional writes an update may try before it reports a conflict. */
  public static final int MAX_UPDATE_ATTEMPTS = 32;

  private static final Logger log = LoggerFactory.getLogger(RecordStoreDb.class);
  // dedup of the WARN lines only: "op code" pairs already logged in this JVM
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  // update races of every binding instance in this JVM, printed at exit (YCSB makes one instance
  // per thread and has no place in its report for a binding's own figures)
  private static final LongAdder UPDATES = new LongAdder();
  private static final LongAdder LOST_RACES = new LongAdder();
  private static final LongAdder GAVE_UP = new LongAdder();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RecordStoreDb::printUpdateRaces, "update-races"));
  }

  private @Nullable RecordStore store;

  /** Parses this binding's properties and acquires the JVM's shared store for them. */
  protected abstract RecordStore acquireStore(Properties properties);

  /** Releases what {@link #acquireStore} acquired. */
  protected abstract void releaseStore() throws Exception;

  /**
   * Acquires the shared store and reads one key that no YCSB record uses ({@code <table>/}), so
   * that connecting (and loading the client's classes) happens before YCSB starts its clock and,
   * with {@code -target}, its schedule: otherwise the first seconds of a run would measure
   * connection setup, and every operation scheduled meanwhile would count it as latency. A store
   * that cannot be reached fails here, naming the failure.
   */
  @Override
  public final void init() throws DBException {
    RecordStore s;
    try {
      s = acquireStore(getProperties());
    } catch (RuntimeException e) {
      throw new DBException(getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    store = s;
    try {
      s.get(recordKey(getProperties().getProperty("table", "usertable"), ""));
    } catch (RuntimeException e) {
      RecordStore.Failure failure = s.describe(e);
      cleanup(); // YCSB does not call cleanup() after a failed init()
      throw new DBException(getClass().getSimpleName() + ": cannot reach the store: " + failure.code() + ": "
          + failure.detail(), e);
    }
  }

  @Override
  public final void cleanup() throws DBException {
    if (store == null) {
      return;
    }
    store = null;
    try {
      releaseStore();
    } catch (Exception e) {
      throw new DBException(getClass().getSimpleName() + ": closing the client failed: " + e, e);
    }
  }

  /** The store key of a record: {@code <table>/<key>}. */
  public static ByteString recordKey(String table, String key) {
    return ByteString.copyFromUtf8(table + "/" + key);
  }

  /** The first key after every record of {@code table} ('0' follows '/'). */
  static ByteString tableEnd(String table) {
    return ByteString.copyFromUtf8(table + "0");
  }

  @Override
  public Status read(String table, String key, @Nullable Set<String> fields, Map<String, ByteIterator> result) {
    RecordStore s = store();
    try {
      RecordStore.Versioned current = s.get(recordKey(table, key));
      if (current == null) {
        return Status.NOT_FOUND;
      }
      copyFields(decode(current.value()), fields, result);
      return Status.OK;
    } catch (MalformedRecordException e) {
      return e.status(key);
    } catch (RuntimeException e) {
      return failed(s, "read", e);
    }
  }

  @Override
  public Status scan(String table, String startkey, int recordcount, @Nullable Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    RecordStore s = store();
    try {
      List<ByteString> values = s.scan(recordKey(table, startkey), tableEnd(table), recordcount);
      for (ByteString value : values) {
        HashMap<String, ByteIterator> row = new HashMap<>();
        copyFields(decode(value), fields, row);
        result.add(row);
      }
      return Status.OK;
    } catch (MalformedRecordException e) {
      return e.status(startkey);
    } catch (RuntimeException e) {
      return failed(s, "scan", e);
    }
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    RecordStore s = store();
    ByteString storeKey = recordKey(table, key);
    Map<String, ByteString> changes = bytesOf(values);
    UPDATES.increment();
    try {
      RecordStore.Versioned current = s.get(storeKey);
      for (int attempt = 1; ; attempt++) {
        SortedMap<String, ByteString> merged = new TreeMap<>();
        if (current != null) {
          merged.putAll(decode(current.value()));
        }
        merged.putAll(changes);
        RecordStore.ConditionalPut put =
            s.putIfVersion(storeKey, current == null ? 0 : current.version(), RecordCodec.encode(merged));
        if (put.written()) {
          return Status.OK;
        }
        LOST_RACES.increment();
        if (attempt == MAX_UPDATE_ATTEMPTS) {
          GAVE_UP.increment();
          return new Status("UNEXPECTED_STATE", "ABORTED: update of " + key + " lost " + MAX_UPDATE_ATTEMPTS
              + " version races in a row");
        }
        // the record that won, returned by the failed conditional write itself: merge into it
        current = put.current();
      }
    } catch (MalformedRecordException e) {
      return e.status(key);
    } catch (RuntimeException e) {
      return failed(s, "update", e);
    }
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    RecordStore s = store();
    try {
      s.put(recordKey(table, key), RecordCodec.encode(bytesOf(values)));
      return Status.OK;
    } catch (RuntimeException e) {
      return failed(s, "insert", e);
    }
  }

  @Override
  public Status delete(String table, String key) {
    RecordStore s = store();
    try {
      s.delete(recordKey(table, key));
      return Status.OK;
    } catch (RuntimeException e) {
      return failed(s, "delete", e);
    }
  }

  /**
   * At exit, on standard error in YCSB's report format (YCSB closes standard output after its
   * report): updates, races lost (conditional writes that found another version) and updates
   * that gave up, over every binding instance of this JVM.
   */
  static void printUpdateRaces() {
    long updates = UPDATES.sum();
    if (updates > 0) {
      System.err.println("[UPDATE-RACES], Updates, " + updates);
      System.err.println("[UPDATE-RACES], LostRaces, " + LOST_RACES.sum());
      System.err.println("[UPDATE-RACES], GaveUp, " + GAVE_UP.sum());
      System.err.flush();
    }
  }

  /** The YCSB status of a store failure: a standard YCSB name, the gRPC code first in the description. */
  static Status statusOf(RecordStore.Failure failure) {
    String name = switch (failure.code()) {
      case "UNAVAILABLE", "RESOURCE_EXHAUSTED" -> "SERVICE_UNAVAILABLE";
      case "INVALID_ARGUMENT", "OUT_OF_RANGE" -> "BAD_REQUEST";
      case "PERMISSION_DENIED", "UNAUTHENTICATED" -> "FORBIDDEN";
      default -> "ERROR";
    };
    return new Status(name, failure.code() + ": " + failure.detail());
  }

  private Status failed(RecordStore s, String op, RuntimeException e) {
    RecordStore.Failure failure = s.describe(e);
    Status status = statusOf(failure);
    if (LOGGED.add(op + " " + failure.code())) {
      log.warn("{} failed: {} (first {} failure with this code; later ones are only counted)",
          op, status.getDescription(), op);
    }
    return status;
  }

  private RecordStore store() {
    RecordStore s = store;
    if (s == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not initialised (init() not called)");
    }
    return s;
  }

  private static Map<String, ByteString> bytesOf(Map<String, ByteIterator> values) {
    Map<String, ByteString> out = new HashMap<>(values.size() * 2);
    values.forEach((field, bytes) -> out.put(field, ByteString.copyFrom(bytes.toArray())));
    return out;
  }

  private static void copyFields(Map<String, ByteString> record, @Nullable Set<String> fields,
      Map<String, ByteIterator> result) {
    if (fields == null) {
      record.forEach((field, value) -> result.put(field, new ByteArrayByteIterator(value.toByteArray())));
      return;
    }
    for (String field : fields) {
      ByteString value = record.get(field);
      if (value != null) {
        result.put(field, new ByteArrayByteIterator(value.toByteArray()));
      }
    }
  }

  private static SortedMap<String, ByteString> decode(ByteString value) {
    try {
      return RecordCodec.decode(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException(e.getMessage());
    }
  }

  /** A stored value that is not a {@link RecordCodec} record (another program wrote the key). */
  private static final class MalformedRecordException extends RuntimeException {
    MalformedRecordException(@Nullable String message) {
      super(message, null, false, false);
    }

    Status status(String key) {
      return new Status("UNEXPECTED_STATE", "DATA_LOSS: value of " + key + " is not a YCSB record: " + getMessage());
    }
  }
}
