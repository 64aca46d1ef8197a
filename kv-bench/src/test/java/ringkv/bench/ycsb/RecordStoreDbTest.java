package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

class RecordStoreDbTest {
  private MemoryRecordStore store;
  private RecordStoreDb db;

  /** A binding over the in-memory store. */
  private static final class MemoryDb extends RecordStoreDb {
    private final MemoryRecordStore store;
    int releases;

    MemoryDb(MemoryRecordStore store) {
      this.store = store;
    }

    @Override
    protected RecordStore acquireStore(Properties properties) {
      return store;
    }

    @Override
    protected void releaseStore() {
      releases++;
    }
  }

  @BeforeEach
  void setUp() throws DBException {
    store = new MemoryRecordStore();
    db = new MemoryDb(store);
    db.init();
  }

  private static Map<String, ByteIterator> fields(String... pairs) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put(pairs[i], pairs[i + 1]);
    }
    return StringByteIterator.getByteIteratorMap(values);
  }

  private Map<String, String> read(String key, Set<String> which) {
    Map<String, ByteIterator> result = new HashMap<>();
    assertThat(db.read("usertable", key, which, result)).isEqualTo(Status.OK);
    return StringByteIterator.getStringMap(result);
  }

  @Test
  void insert_thenRead_returnsEveryField() {
    assertThat(db.insert("usertable", "user1", fields("field0", "a", "field1", "b"))).isEqualTo(Status.OK);

    assertThat(read("user1", null)).containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field1", "b"));
  }

  @Test
  void insert_storesOneEncodedRecordUnderTableSlashKey() {
    db.insert("usertable", "user1", fields("field0", "a"));

    assertThat(store.data).containsOnlyKeys(ByteString.copyFromUtf8("usertable/user1"));
    assertThat(RecordCodec.decode(store.data.firstEntry().getValue().value()))
        .containsExactlyEntriesOf(Map.of("field0", ByteString.copyFromUtf8("a")));
  }

  @Test
  void read_selectedFields_returnsOnlyThoseThatExist() {
    db.insert("usertable", "user1", fields("field0", "a", "field1", "b", "field2", "c"));

    assertThat(read("user1", new LinkedHashSet<>(List.of("field2", "field0", "nope"))))
        .containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field2", "c"));
  }

  @Test
  void read_missingRecord_isNotFound() {
    assertThat(db.read("usertable", "nobody", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void insert_existingRecord_replacesItWhole() {
    db.insert("usertable", "user1", fields("field0", "a", "field1", "b"));

    db.insert("usertable", "user1", fields("field1", "B"));

    assertThat(read("user1", null)).containsExactlyEntriesOf(Map.of("field1", "B"));
  }

  @Test
  void update_mergesTheGivenFieldsIntoTheRecord() {
    db.insert("usertable", "user1", fields("field0", "a", "field1", "b"));

    assertThat(db.update("usertable", "user1", fields("field1", "B", "field2", "C"))).isEqualTo(Status.OK);

    assertThat(read("user1", null))
        .containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field1", "B", "field2", "C"));
  }

  @Test
  void update_costsOneReadAndOneConditionalWriteWithoutRaces() {
    db.insert("usertable", "user1", fields("field0", "a"));
    int getsBefore = store.gets;

    db.update("usertable", "user1", fields("field0", "b"));

    assertThat(store.gets - getsBefore).isEqualTo(1);
    assertThat(store.conditionalPuts).isEqualTo(1);
  }

  @Test
  void update_missingRecord_createsItWithTheGivenFields() {
    assertThat(db.update("usertable", "user9", fields("field3", "x"))).isEqualTo(Status.OK);

    assertThat(read("user9", null)).containsExactlyEntriesOf(Map.of("field3", "x"));
  }

  @Test
  void update_lostRaces_mergeIntoTheWinnerReturnedByTheFailedWriteAndKeepItsFields() {
    db.insert("usertable", "user1", fields("field0", "a"));
    store.racesBeforeConditionalPut = 3;
    int getsBefore = store.gets;

    assertThat(db.update("usertable", "user1", fields("field1", "b"))).isEqualTo(Status.OK);

    assertThat(store.gets - getsBefore).isEqualTo(1);
    assertThat(store.conditionalPuts).isEqualTo(4);
    assertThat(read("user1", null)).containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field1", "b"));
  }

  @Test
  void update_losingEveryRace_givesUpWithUnexpectedState() {
    db.insert("usertable", "user1", fields("field0", "a"));
    store.racesBeforeConditionalPut = Integer.MAX_VALUE;

    Status status = db.update("usertable", "user1", fields("field1", "b"));

    assertThat(status.getName()).isEqualTo("UNEXPECTED_STATE");
    assertThat(status.getDescription()).startsWith("ABORTED: ")
        .contains(RecordStoreDb.MAX_UPDATE_ATTEMPTS + " version races");
    assertThat(store.gets).isEqualTo(2); // init's probe and the update's one read
    assertThat(store.conditionalPuts).isEqualTo(RecordStoreDb.MAX_UPDATE_ATTEMPTS);
  }

  @Test
  void delete_removesTheRecord() {
    db.insert("usertable", "user1", fields("field0", "a"));

    assertThat(db.delete("usertable", "user1")).isEqualTo(Status.OK);

    assertThat(db.read("usertable", "user1", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void scan_returnsRecordsFromStartKeyInKeyOrderUpToTheCount() {
    for (int i = 1; i <= 5; i++) {
      db.insert("usertable", "user" + i, fields("field0", "v" + i, "field1", "w" + i));
    }
    Vector<HashMap<String, ByteIterator>> result = new Vector<>();

    assertThat(db.scan("usertable", "user2", 3, Set.of("field0"), result)).isEqualTo(Status.OK);

    assertThat(result).extracting(StringByteIterator::getStringMap)
        .containsExactly(Map.of("field0", "v2"), Map.of("field0", "v3"), Map.of("field0", "v4"));
  }

  @Test
  void scan_staysInsideItsTable() {
    db.insert("usertable", "user1", fields("field0", "a"));
    db.insert("usertable0", "user1", fields("field0", "other table"));
    db.insert("usertablf", "user1", fields("field0", "other table"));
    Vector<HashMap<String, ByteIterator>> result = new Vector<>();

    db.scan("usertable", "", 100, null, result);

    assertThat(result).extracting(StringByteIterator::getStringMap).containsExactly(Map.of("field0", "a"));
  }

  @Test
  void storeFailure_becomesAStatusNamingTheGrpcCode() {
    store.failure = () -> new MemoryRecordStore.CodedException("UNAVAILABLE", "NO_LEADER, shard 2 has no leader");

    Status read = db.read("usertable", "user1", null, new HashMap<>());
    Status insert = db.insert("usertable", "user1", fields("field0", "a"));

    assertThat(read.isOk()).isFalse();
    assertThat(read.getName()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(read.getDescription()).isEqualTo("UNAVAILABLE: NO_LEADER, shard 2 has no leader");
    assertThat(insert).isEqualTo(read);
  }

  @Test
  void statusOf_mapsGrpcCodesToYcsbNames() {
    assertThat(RecordStoreDb.statusOf(new RecordStore.Failure("DEADLINE_EXCEEDED", "slow")))
        .isEqualTo(new Status("ERROR", "DEADLINE_EXCEEDED: slow"));
    assertThat(RecordStoreDb.statusOf(new RecordStore.Failure("RESOURCE_EXHAUSTED", "full")).getName())
        .isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(RecordStoreDb.statusOf(new RecordStore.Failure("INVALID_ARGUMENT", "big")).getName())
        .isEqualTo("BAD_REQUEST");
    assertThat(RecordStoreDb.statusOf(new RecordStore.Failure("UNAUTHENTICATED", "who")).getName())
        .isEqualTo("FORBIDDEN");
  }

  @Test
  void read_valueThatIsNotARecord_isUnexpectedState() {
    store.put(RecordStoreDb.recordKey("usertable", "user1"), ByteString.copyFromUtf8("plain text"));

    Status status = db.read("usertable", "user1", null, new HashMap<>());

    assertThat(status.getName()).isEqualTo("UNEXPECTED_STATE");
    assertThat(status.getDescription()).contains("not a YCSB record");
  }

  @Test
  void init_readsAKeyOutsideTheRecordsToConnect() throws DBException {
    MemoryRecordStore fresh = new MemoryRecordStore();
    MemoryDb other = new MemoryDb(fresh);
    Properties props = new Properties();
    props.setProperty("table", "t1");
    other.setProperties(props);

    other.init();

    assertThat(fresh.gets).isEqualTo(1);
    assertThat(fresh.data).isEmpty();
  }

  @Test
  void init_unreachableStore_failsNamingTheCode() {
    MemoryRecordStore down = new MemoryRecordStore();
    down.failure = () -> new MemoryRecordStore.CodedException("UNAVAILABLE", "connection refused");

    MemoryDb unreachable = new MemoryDb(down);

    assertThatThrownBy(unreachable::init).isInstanceOf(DBException.class)
        .hasMessageContaining("cannot reach the store: UNAVAILABLE: connection refused");
    assertThat(unreachable.releases).isEqualTo(1);
  }

  @Test
  void cleanup_releasesTheStoreOnce() throws DBException {
    MemoryDb memoryDb = (MemoryDb) db;

    db.cleanup();
    db.cleanup();

    assertThat(memoryDb.releases).isEqualTo(1);
  }
}
