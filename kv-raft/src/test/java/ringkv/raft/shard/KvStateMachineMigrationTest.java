package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.raft.shard.LogFixture.bytes;
import static ringkv.raft.shard.LogFixture.delete;
import static ringkv.raft.shard.LogFixture.put;
import static ringkv.raft.shard.LogFixture.withWriteId;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.ActivatePartition;
import ringkv.api.v1.ClientSessionRecord;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DeleteRangeOp;
import ringkv.api.v1.DropPartition;
import ringkv.api.v1.ErrorReasonCode;
import ringkv.api.v1.FreezePartition;
import ringkv.api.v1.InstallChunk;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.MigrationResult;
import ringkv.api.v1.PartitionChunk;
import ringkv.api.v1.PartitionChunkQuery;
import ringkv.api.v1.PartitionGateState;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReadResult;
import ringkv.api.v1.ScanQuery;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnStep;
import ringkv.raft.codec.CommandCodec;

/** The shard side of a partition move, driven through {@link KvStateMachine} with synthetic log entries. */
class KvStateMachineMigrationTest {
  private static final int P = 16;
  /** The moving partition. */
  private static final int MOVING = 5;
  /** A partition that stays. */
  private static final int OTHER = 6;
  private static final long EPOCH = 7;

  @TempDir Path dir;

  private static KvStateMachine newMachine() {
    return new KvStateMachine(P, SessionConfig.DEFAULTS);
  }

  static Command freeze(int partition, long epoch) {
    return Command.newBuilder().setFreeze(FreezePartition.newBuilder().setPartition(partition).setMoveEpoch(epoch)).build();
  }

  static Command install(int partition, long epoch, boolean first, List<KeyValue> kvs, List<ClientSessionRecord> sessions) {
    return Command.newBuilder().setInstallChunk(InstallChunk.newBuilder().setPartition(partition).setMoveEpoch(epoch)
        .setFirst(first).addAllKvs(kvs).addAllSessions(sessions)).build();
  }

  static Command install(int partition, long epoch, boolean first, List<KeyValue> kvs) {
    return install(partition, epoch, first, kvs, List.of());
  }

  static Command activate(int partition, long epoch) {
    return Command.newBuilder().setActivate(ActivatePartition.newBuilder().setPartition(partition).setMoveEpoch(epoch)).build();
  }

  static Command drop(int partition, long epoch) {
    return Command.newBuilder().setDrop(DropPartition.newBuilder().setPartition(partition).setMoveEpoch(epoch)).build();
  }

  static Command txnPut(int partition, String key, String value) {
    return Command.newBuilder().setTxn(TxnOp.newBuilder().addSuccess(TxnStep.newBuilder()
        .setPut(PutOp.newBuilder().setPartition(partition).setKey(bytes(key)).setValue(bytes(value))))).build();
  }

  static Command deleteRange(String start, String end) {
    return Command.newBuilder().setDeleteRange(DeleteRangeOp.newBuilder().setStart(bytes(start)).setEnd(bytes(end))).build();
  }

  static ReadResult query(KvStateMachine machine, ReadQuery query) {
    return CommandCodec.decodeReadResult(machine.query(CommandCodec.encode(query)).join().getContent());
  }

  static ReadResult get(KvStateMachine machine, int partition, String key) {
    return query(machine, ReadQuery.newBuilder().setGet(ringkv.api.v1.GetQuery.newBuilder().setPartition(partition)
        .setKey(bytes(key))).build());
  }

  static ReadResult scanAll(KvStateMachine machine) {
    return query(machine, ReadQuery.newBuilder().setScan(ScanQuery.getDefaultInstance()).build());
  }

  static ReadResult chunk(KvStateMachine machine, int partition, long epoch, @Nullable ByteString after, long maxBytes) {
    PartitionChunkQuery.Builder q = PartitionChunkQuery.newBuilder().setPartition(partition).setMoveEpoch(epoch).setMaxBytes(maxBytes);
    if (after != null) {
      q.setAfterKey(after).setHasAfterKey(true);
    }
    return query(machine, ReadQuery.newBuilder().setPartitionChunk(q).build());
  }

  /** Reads the whole frozen partition in chunks of about {@code maxBytes}, as the move's copier does. */
  static List<PartitionChunk> readAll(KvStateMachine machine, int partition, long epoch, long maxBytes) {
    List<PartitionChunk> chunks = new ArrayList<>();
    ByteString after = null;
    while (true) {
      ReadResult read = chunk(machine, partition, epoch, after, maxBytes);
      assertThat(read.hasPartitionChunk()).as("chunk query answered: %s", read).isTrue();
      PartitionChunk chunk = read.getPartitionChunk();
      chunks.add(chunk);
      if (!chunk.getMore()) {
        return chunks;
      }
      after = chunk.getKvs(chunk.getKvsCount() - 1).getKey();
    }
  }

  private static void assertRefusedAsNotOwned(CommandResult result) {
    assertThat(result.hasRejected()).as("refused: %s", result).isTrue();
    assertThat(result.getRejected().getReason()).isEqualTo(ErrorReasonCode.REJECT_PARTITION_NOT_OWNED);
  }

  private static void assertRefusedAsNotOwned(ReadResult result) {
    assertThat(result.hasRejected()).as("refused: %s", result).isTrue();
    assertThat(result.getRejected().getReason()).isEqualTo(ErrorReasonCode.REJECT_PARTITION_NOT_OWNED);
  }

  private static MigrationResult migration(CommandResult result) {
    assertThat(result.hasMigration()).as("a migration answer: %s", result).isTrue();
    return result.getMigration();
  }

  /** A source shard with keys in the moving partition and in another one. */
  private static LogFixture source(KvStateMachine machine) {
    LogFixture log = new LogFixture(machine);
    log.applyOne(1_000, withWriteId(put(MOVING, "m-a", "1"), "c1", 1, 1));
    log.applyOne(1_001, withWriteId(put(MOVING, "m-b", "22"), "c1", 2, 1));
    log.applyOne(1_002, put(OTHER, "o-a", "x"));
    log.applyOne(1_003, put(MOVING, "m-c", "333"));
    log.applyOne(1_004, put(MOVING, "m-a", "1111"));
    return log;
  }

  /** Freezes MOVING in the source, copies it in chunks to the target, activates it there; returns the freeze answer. */
  private static MigrationResult move(LogFixture sourceLog, KvStateMachine source, LogFixture targetLog, long maxBytes) {
    CommandResult freeze = sourceLog.applyOne(2_000, freeze(MOVING, EPOCH));
    MigrationResult frozen = migration(freeze);
    assertThat(frozen.getApplied()).isTrue();
    List<PartitionChunk> chunks = readAll(source, MOVING, EPOCH, maxBytes);
    for (int i = 0; i < chunks.size(); i++) {
      List<ClientSessionRecord> sessions = i == 0 ? frozen.getSessionsList() : List.of();
      Command install = install(MOVING, EPOCH, i == 0, chunks.get(i).getKvsList(), sessions);
      if (i == 0) {
        // as kv-server's mover does: the freeze's revision travels with the first chunk
        install = install.toBuilder().setInstallChunk(install.getInstallChunk().toBuilder()
            .setSourceRevision(freeze.getRevision())).build();
      }
      MigrationResult installed = migration(targetLog.applyOne(2_001, install));
      assertThat(installed.getApplied()).as("chunk %d installed: %s", i, installed).isTrue();
    }
    assertThat(migration(targetLog.applyOne(2_002, activate(MOVING, EPOCH))).getApplied()).isTrue();
    return frozen;
  }

  @Test
  void freeze_writesAndReadsOfThePartition_refusedAsNotOwned_otherPartitionsStillWork() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    long revision = machine.revision();
    MigrationResult frozen = migration(log.applyOne(2_000, freeze(MOVING, EPOCH)));
    assertThat(frozen.getApplied()).isTrue();
    assertThat(frozen.getNote()).isEmpty();
    assertThat(machine.revision()).as("a migration step takes no revision").isEqualTo(revision);

    long digest = machine.stateDigest();
    assertRefusedAsNotOwned(log.applyOne(2_001, put(MOVING, "m-a", "new")));
    assertRefusedAsNotOwned(log.applyOne(2_001, delete(MOVING, "m-b")));
    assertRefusedAsNotOwned(log.applyOne(2_001, txnPut(MOVING, "m-z", "v")));
    assertRefusedAsNotOwned(log.applyOne(2_001, deleteRange("a", "z")));
    assertRefusedAsNotOwned(get(machine, MOVING, "m-a"));
    assertRefusedAsNotOwned(scanAll(machine));
    assertThat(machine.stateDigest()).as("refusals change nothing").isEqualTo(digest);
    assertThat(machine.revision()).isEqualTo(revision);

    CommandResult other = log.applyOne(2_002, put(OTHER, "o-b", "y"));
    assertThat(other.hasPut()).isTrue();
    assertThat(other.getRevision()).isEqualTo(revision + 1);
    assertThat(log.applyOne(2_003, txnPut(OTHER, "o-c", "z")).hasTxn()).isTrue();
    assertThat(log.applyOne(2_003, delete(OTHER, "o-c")).getDelete().getDeleted()).isTrue();
    ReadResult read = get(machine, OTHER, "o-b");
    assertThat(read.getGet().getFound()).isTrue();
    assertThat(read.getGet().getKv().getValue().toStringUtf8()).isEqualTo("y");
  }

  @Test
  void freeze_refusedWrite_notRecordedInSessions_soTheSameWriteIdIsNotAnsweredAsDuplicateLater() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    log.applyOne(2_000, freeze(MOVING, EPOCH));
    Command write = withWriteId(put(MOVING, "m-a", "new"), "c9", 1, 1);
    assertRefusedAsNotOwned(log.applyOne(2_001, write));
    // retried here again: still refused, not replayed from the table
    assertRefusedAsNotOwned(log.applyOne(2_002, write));
    assertThat(machine.sessionCount()).as("only c1's session; c9 was never recorded").isEqualTo(1);
  }

  @Test
  void freeze_retryOfAWriteAppliedBeforeTheFreeze_answeredFromTheSessionTable() {
    KvStateMachine machine = newMachine();
    LogFixture log = new LogFixture(machine);
    Command write = withWriteId(put(MOVING, "m-a", "1"), "c1", 4, 4);
    CommandResult applied = log.applyOne(1_000, write);
    log.applyOne(1_001, freeze(MOVING, EPOCH));
    long digest = machine.stateDigest();
    assertThat(log.applyOne(1_002, write)).isEqualTo(applied);
    assertThat(machine.stateDigest()).isEqualTo(digest);
  }

  @Test
  void freeze_isIdempotent_andStaleFreezeRefused() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    log.applyOne(2_000, freeze(MOVING, EPOCH));
    long digest = machine.stateDigest();
    MigrationResult again = migration(log.applyOne(2_001, freeze(MOVING, EPOCH)));
    assertThat(again.getApplied()).isTrue();
    assertThat(again.getNote()).contains("already frozen");
    MigrationResult stale = migration(log.applyOne(2_002, freeze(MOVING, EPOCH - 1)));
    assertThat(stale.getApplied()).isFalse();
    assertThat(stale.getNote()).contains("epoch " + (EPOCH - 1));
    assertThat(machine.stateDigest()).isEqualTo(digest);
  }

  @Test
  void freeze_answerCarriesTheSourceSessions() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    MigrationResult frozen = migration(log.applyOne(2_000, freeze(MOVING, EPOCH)));
    assertThat(frozen.getSessionsList()).singleElement().satisfies(s -> {
      assertThat(s.getClientId().toStringUtf8()).isEqualTo("c1");
      assertThat(s.getRepliesList()).extracting(r -> r.getSequence()).containsExactly(1L, 2L);
    });
  }

  @Test
  void chunkQuery_returnsThePartitionsKeysInOrder_pagedByMaxBytes_withMore() {
    KvStateMachine machine = newMachine();
    LogFixture log = new LogFixture(machine);
    for (int i = 9; i >= 0; i--) {
      log.applyOne(1_000, put(MOVING, "key-" + i, "vvvv")); // 5 + 4 = 9 bytes per key
    }
    log.applyOne(1_000, put(OTHER, "key-x", "not in the chunk"));
    log.applyOne(1_001, freeze(MOVING, EPOCH));

    PartitionChunk first = chunk(machine, MOVING, EPOCH, null, 20).getPartitionChunk();
    assertThat(first.getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("key-0", "key-1", "key-2");
    assertThat(first.getMore()).isTrue();
    assertThat(first.getKvs(0).getModRevision()).as("counters travel with the keys").isEqualTo(10);

    List<PartitionChunk> chunks = readAll(machine, MOVING, EPOCH, 20);
    List<String> keys = chunks.stream().flatMap(c -> c.getKvsList().stream()).map(kv -> kv.getKey().toStringUtf8()).toList();
    assertThat(keys).containsExactly("key-0", "key-1", "key-2", "key-3", "key-4", "key-5", "key-6", "key-7", "key-8", "key-9");
    assertThat(chunks).hasSize(4);
    assertThat(chunks.subList(0, 3)).allMatch(PartitionChunk::getMore);
    assertThat(chunks.get(3).getMore()).isFalse();

    // at least one key per chunk, however small max_bytes is
    assertThat(chunk(machine, MOVING, EPOCH, null, 0).getPartitionChunk().getKvsCount()).isEqualTo(1);
    // the whole partition when it fits; the last key exactly filling max_bytes leaves nothing more
    PartitionChunk all = chunk(machine, MOVING, EPOCH, null, 90).getPartitionChunk();
    assertThat(all.getKvsCount()).isEqualTo(10);
    assertThat(all.getMore()).isFalse();
    // after the last key: empty, no more
    PartitionChunk past = chunk(machine, MOVING, EPOCH, bytes("key-9"), 20).getPartitionChunk();
    assertThat(past.getKvsList()).isEmpty();
    assertThat(past.getMore()).isFalse();
  }

  @Test
  void chunkQuery_notFrozenOrOtherEpoch_refused() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    assertRefusedAsNotOwned(chunk(machine, MOVING, EPOCH, null, 1_000));
    log.applyOne(2_000, freeze(MOVING, EPOCH));
    assertRefusedAsNotOwned(chunk(machine, MOVING, EPOCH + 1, null, 1_000));
    assertRefusedAsNotOwned(chunk(machine, OTHER, EPOCH, null, 1_000));
    assertThat(chunk(machine, MOVING, EPOCH, null, 1_000).hasPartitionChunk()).isTrue();
    log.applyOne(2_001, drop(MOVING, EPOCH));
    assertRefusedAsNotOwned(chunk(machine, MOVING, EPOCH, null, 1_000));
  }

  @Test
  void installThenActivate_inASecondMachine_givesIdenticalKeysValuesAndRevisions() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);

    move(sourceLog, source, targetLog, 8); // several chunks
    assertThat(target.storeForTesting().partition(MOVING)).isEqualTo(source.storeForTesting().partition(MOVING));
    assertThat(target.keyCount()).isEqualTo(3);
    assertThat(target.dataBytes()).isEqualTo(source.storeForTesting().partition(MOVING).entrySet().stream()
        .mapToLong(e -> e.getKey().size() + e.getValue().value().size()).sum());
    for (String key : List.of("m-a", "m-b", "m-c")) {
      ReadResult there = get(target, MOVING, key);
      assertThat(there.hasGet()).isTrue();
      assertThat(there.getGet().getKv()).isEqualTo(source.storeForTesting().get(MOVING, bytes(key)).toKeyValue(bytes(key)));
    }
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getVersion()).isEqualTo(2);
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getCreateRevision()).isEqualTo(1);
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getModRevision()).isEqualTo(5);
  }

  @Test
  void install_beforeActivate_partitionRefused_andScansSkipIt() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    sourceLog.applyOne(2_000, freeze(MOVING, EPOCH));
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    targetLog.applyOne(1_000, put(OTHER, "t-o", "v"));
    targetLog.applyOne(2_001, install(MOVING, EPOCH, true, readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList()));

    assertRefusedAsNotOwned(get(target, MOVING, "m-a"));
    assertRefusedAsNotOwned(targetLog.applyOne(2_002, put(MOVING, "m-a", "early")));
    ReadResult scan = scanAll(target);
    assertThat(scan.hasScan()).as("a scan is refused only while a partition is frozen").isTrue();
    assertThat(scan.getScan().getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("t-o");
    // a delete-range waits for the install: its retry after the move must delete the moved keys too
    assertRefusedAsNotOwned(targetLog.applyOne(2_003, deleteRange("a", "z")));
    assertThat(target.keyCount()).isEqualTo(4);

    targetLog.applyOne(2_004, activate(MOVING, EPOCH));
    assertThat(get(target, MOVING, "m-a").getGet().getFound()).isTrue();
    assertThat(scanAll(target).getScan().getKvsCount()).isEqualTo(4);
  }

  @Test
  void install_raisesTheTargetRevisionPastInstalledModRevisions_nextWriteOfAMovedKeyIsHigher() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = new LogFixture(source);
    for (int i = 0; i < 50; i++) {
      sourceLog.applyOne(1_000, put(MOVING, "m-a", "v" + i));
    }
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    targetLog.applyOne(1_000, put(OTHER, "t", "1"));
    assertThat(target.revision()).isEqualTo(1);

    move(sourceLog, source, targetLog, 1_000);
    assertThat(target.revision()).isEqualTo(50);
    CommandResult next = targetLog.applyOne(3_000, put(MOVING, "m-a", "after"));
    assertThat(next.getRevision()).isEqualTo(51);
    var kv = get(target, MOVING, "m-a").getGet().getKv();
    assertThat(kv.getModRevision()).isEqualTo(51);
    assertThat(kv.getVersion()).isEqualTo(51);
    assertThat(kv.getCreateRevision()).isEqualTo(1);
  }

  @Test
  void install_neverLowersTheTargetRevision() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = new LogFixture(source);
    sourceLog.applyOne(1_000, put(MOVING, "m-a", "1"));
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    for (int i = 0; i < 20; i++) {
      targetLog.applyOne(1_000, put(OTHER, "t" + i, "1"));
    }
    move(sourceLog, source, targetLog, 1_000);
    assertThat(target.revision()).isEqualTo(20);
    assertThat(targetLog.applyOne(3_000, put(MOVING, "m-a", "2")).getRevision()).isEqualTo(21);
  }

  @Test
  void sessionsMerge_retryOfAWriteTheSourceApplied_isADuplicateInTheTarget() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = new LogFixture(source);
    Command write = withWriteId(put(MOVING, "m-a", "once"), "c1", 7, 7);
    CommandResult applied = sourceLog.applyOne(1_000, write);
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);

    move(sourceLog, source, targetLog, 1_000);
    long digest = target.stateDigest();
    CommandResult retried = targetLog.applyOne(2_500, write);
    assertThat(retried).isEqualTo(applied);
    assertThat(target.stateDigest()).as("not applied a second time").isEqualTo(digest);
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getVersion()).isEqualTo(1);
    // a new write of the same client applies
    assertThat(targetLog.applyOne(2_501, withWriteId(put(MOVING, "m-a", "twice"), "c1", 8, 8)).hasPut()).isTrue();
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getVersion()).isEqualTo(2);
  }

  @Test
  void sessionsMerge_writeTheSourceRefusedAfterTheFreeze_appliesInTheTarget() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    MigrationResult frozen = migration(sourceLog.applyOne(2_000, freeze(MOVING, EPOCH)));
    Command write = withWriteId(put(MOVING, "m-a", "late"), "c1", 3, 3);
    assertRefusedAsNotOwned(sourceLog.applyOne(2_000, write));
    targetLog.applyOne(2_001, install(MOVING, EPOCH, true, readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList(),
        frozen.getSessionsList()));
    targetLog.applyOne(2_002, activate(MOVING, EPOCH));
    CommandResult inTarget = targetLog.applyOne(2_003, write);
    assertThat(inTarget.hasPut()).isTrue();
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getValue().toStringUtf8()).isEqualTo("late");
  }

  @Test
  void staleSteps_lowerMoveEpoch_changeNothing() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    sourceLog.applyOne(2_000, freeze(MOVING, EPOCH));
    long sourceDigest = source.stateDigest();
    assertThat(migration(sourceLog.applyOne(2_001, freeze(MOVING, EPOCH - 1))).getApplied()).isFalse();
    assertThat(migration(sourceLog.applyOne(2_001, drop(MOVING, EPOCH - 1))).getApplied()).isFalse();
    assertThat(source.stateDigest()).isEqualTo(sourceDigest);
    assertThat(source.keyCount()).isEqualTo(4);

    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    List<KeyValue> kvs = readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList();
    targetLog.applyOne(2_002, install(MOVING, EPOCH, true, kvs));
    long installing = target.stateDigest();
    assertThat(migration(targetLog.applyOne(2_003, install(MOVING, EPOCH - 1, true, List.of()))).getApplied()).isFalse();
    assertThat(migration(targetLog.applyOne(2_003, install(MOVING, EPOCH - 1, false, List.of()))).getApplied()).isFalse();
    assertThat(migration(targetLog.applyOne(2_003, activate(MOVING, EPOCH - 1))).getApplied()).isFalse();
    assertThat(target.stateDigest()).isEqualTo(installing);
    assertThat(target.keyCount()).isEqualTo(3);

    targetLog.applyOne(2_004, activate(MOVING, EPOCH));
    long active = target.stateDigest();
    assertThat(migration(targetLog.applyOne(2_005, install(MOVING, EPOCH - 1, true, List.of()))).getApplied()).isFalse();
    assertThat(migration(targetLog.applyOne(2_005, activate(MOVING, EPOCH - 1))).getApplied()).isFalse();
    assertThat(migration(targetLog.applyOne(2_005, freeze(MOVING, EPOCH - 1))).getApplied()).isFalse();
    assertThat(target.stateDigest()).isEqualTo(active);
    assertThat(get(target, MOVING, "m-a").getGet().getFound()).isTrue();
  }

  @Test
  void reinstallAfterActivate_sameEpoch_changesNothing() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    move(sourceLog, source, targetLog, 1_000);
    targetLog.applyOne(3_000, put(MOVING, "m-a", "written in the target"));
    long digest = target.stateDigest();
    long keys = target.keyCount();

    MigrationResult first = migration(targetLog.applyOne(3_001, install(MOVING, EPOCH, true, List.of())));
    assertThat(first.getApplied()).isTrue();
    assertThat(first.getNote()).contains("already active");
    MigrationResult next = migration(targetLog.applyOne(3_001, install(MOVING, EPOCH, false,
        List.of(KeyValue.newBuilder().setKey(bytes("m-zzz")).setValue(bytes("v")).setCreateRevision(1).setModRevision(1).setVersion(1).build()))));
    assertThat(next.getApplied()).isTrue();
    assertThat(migration(targetLog.applyOne(3_001, activate(MOVING, EPOCH))).getApplied()).isTrue();
    assertThat(target.stateDigest()).isEqualTo(digest);
    assertThat(target.keyCount()).isEqualTo(keys);
    assertThat(get(target, MOVING, "m-a").getGet().getKv().getValue().toStringUtf8()).isEqualTo("written in the target");
  }

  @Test
  void nextChunk_withoutAFirstChunk_refused() {
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    long digest = target.stateDigest();
    List<KeyValue> kvs = List.of(KeyValue.newBuilder().setKey(bytes("m-a")).setValue(bytes("v")).setCreateRevision(3)
        .setModRevision(3).setVersion(1).build());
    MigrationResult refused = migration(targetLog.applyOne(1_000, install(MOVING, EPOCH, false, kvs)));
    assertThat(refused.getApplied()).isFalse();
    assertThat(refused.getNote()).contains("next chunk");
    assertThat(target.stateDigest()).isEqualTo(digest);
    assertThat(target.keyCount()).isZero();
    // nor is an activation without an install
    assertThat(migration(targetLog.applyOne(1_000, activate(MOVING, EPOCH))).getApplied()).isFalse();
    assertThat(get(target, MOVING, "m-a").getGet().getFound()).isFalse();
  }

  @Test
  void firstChunkAgain_restartsTheInstall_clearingWhatTheInterruptedCopyLeft() {
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    KeyValue a = KeyValue.newBuilder().setKey(bytes("m-a")).setValue(bytes("a")).setCreateRevision(1).setModRevision(1).setVersion(1).build();
    KeyValue b = KeyValue.newBuilder().setKey(bytes("m-b")).setValue(bytes("b")).setCreateRevision(2).setModRevision(2).setVersion(1).build();
    targetLog.applyOne(1_000, install(MOVING, EPOCH, true, List.of(a)));
    targetLog.applyOne(1_000, install(MOVING, EPOCH, false, List.of(b)));
    targetLog.applyOne(1_001, install(MOVING, EPOCH, true, List.of(b)));
    targetLog.applyOne(1_001, activate(MOVING, EPOCH));
    assertThat(target.keyCount()).isEqualTo(1);
    assertThat(target.dataBytes()).isEqualTo(4);
    assertThat(get(target, MOVING, "m-a").getGet().getFound()).isFalse();
    assertThat(get(target, MOVING, "m-b").getGet().getFound()).isTrue();
  }

  @Test
  void drop_clearsThePartitionsKeys_andKeyCountAndDataBytes_partitionStaysRefused() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    assertThat(machine.keyCount()).isEqualTo(4);
    long otherBytes = "o-a".length() + "x".length();
    log.applyOne(2_000, freeze(MOVING, EPOCH));

    MigrationResult dropped = migration(log.applyOne(2_001, drop(MOVING, EPOCH)));
    assertThat(dropped.getApplied()).isTrue();
    assertThat(machine.keyCount()).isEqualTo(1);
    assertThat(machine.dataBytes()).isEqualTo(otherBytes);
    assertThat(machine.storeForTesting().partition(MOVING)).isEmpty();
    assertRefusedAsNotOwned(get(machine, MOVING, "m-a"));
    assertRefusedAsNotOwned(log.applyOne(2_002, put(MOVING, "m-a", "v")));
    // a retried drop is answered as done; after the drop a scan and a delete-range serve again, skipping it
    assertThat(migration(log.applyOne(2_003, drop(MOVING, EPOCH))).getNote()).contains("already dropped");
    assertThat(scanAll(machine).getScan().getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("o-a");
    assertThat(log.applyOne(2_004, deleteRange("a", "z")).getDeleteRange().getDeleted()).isEqualTo(1);
  }

  @Test
  void drop_withoutFreeze_refusedAndKeepsTheKeys() {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    assertThat(migration(log.applyOne(2_000, drop(MOVING, EPOCH))).getApplied()).isFalse();
    assertThat(machine.keyCount()).isEqualTo(4);
    assertThat(get(machine, MOVING, "m-a").getGet().getFound()).isTrue();
  }

  @Test
  void sameSteps_onTwoMachines_sameDigest_differentGates_differentDigest() {
    KvStateMachine a = newMachine();
    KvStateMachine b = newMachine();
    LogFixture logA = source(a);
    LogFixture logB = source(b);
    assertThat(a.stateDigest()).isEqualTo(b.stateDigest());
    logA.applyOne(2_000, freeze(MOVING, EPOCH));
    assertThat(a.stateDigest()).as("a frozen gate is state").isNotEqualTo(b.stateDigest());
    logB.applyOne(2_000, freeze(MOVING, EPOCH));
    assertThat(a.stateDigest()).isEqualTo(b.stateDigest());

    KvStateMachine c = newMachine();
    LogFixture logC = source(c);
    logC.applyOne(2_000, freeze(MOVING, EPOCH + 1));
    assertThat(c.stateDigest()).as("the fence epoch is state").isNotEqualTo(a.stateDigest());

    logA.applyOne(2_001, drop(MOVING, EPOCH));
    logB.applyOne(2_001, drop(MOVING, EPOCH));
    assertThat(a.stateDigest()).isEqualTo(b.stateDigest());
  }

  @Test
  void sameMoveOnTwoTargets_sameDigest_activatedOrNot_differs() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    MigrationResult frozen = migration(sourceLog.applyOne(2_000, freeze(MOVING, EPOCH)));
    List<KeyValue> kvs = readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList();
    KvStateMachine t1 = newMachine();
    KvStateMachine t2 = newMachine();
    LogFixture log1 = new LogFixture(t1);
    LogFixture log2 = new LogFixture(t2);
    for (LogFixture log : List.of(log1, log2)) {
      log.applyOne(2_001, install(MOVING, EPOCH, true, kvs, frozen.getSessionsList()));
    }
    assertThat(t1.stateDigest()).isEqualTo(t2.stateDigest());
    log1.applyOne(2_002, activate(MOVING, EPOCH));
    assertThat(t1.stateDigest()).isNotEqualTo(t2.stateDigest());
    log2.applyOne(2_002, activate(MOVING, EPOCH));
    assertThat(t1.stateDigest()).isEqualTo(t2.stateDigest());
  }

  /** The gates a machine gets from {@link #source} plus a freeze, built directly, for writing a snapshot. */
  private static PartitionGates frozenGates() {
    PartitionGates gates = new PartitionGates();
    assertThat(gates.freeze(MOVING, EPOCH).getApplied()).isTrue();
    return gates;
  }

  private static SnapshotHeader header(KvStateMachine machine, long index) {
    return SnapshotHeader.newBuilder().setTerm(1).setIndex(index).setPartitionCount(P).setLogTimeMillis(2_000)
        .setRevision(machine.revision()).build();
  }

  @Test
  void snapshotRoundTrip_keepsTheGates_andTheDigest() throws IOException {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    log.applyOne(2_000, freeze(MOVING, EPOCH));
    PartitionGates gates = frozenGates();
    Path file = dir.resolve("snapshot.1_" + log.index());
    ShardSnapshot.write(file, header(machine, log.index()), machine.storeForTesting(), new ClientSessions(SessionConfig.DEFAULTS), gates);

    ShardSnapshot read = ShardSnapshot.read(file, P);
    assertThat(read.gates()).isEqualTo(gates.toRecords());
    assertThat(read.gates()).singleElement().satisfies(g -> {
      assertThat(g.getPartition()).isEqualTo(MOVING);
      assertThat(g.getState()).isEqualTo(PartitionGateState.GATE_FROZEN);
      assertThat(g.getMoveEpoch()).isEqualTo(EPOCH);
    });

    KvStateMachine restored = newMachine();
    restored.loadSnapshot(file);
    assertThat(restored.stateDigest()).isEqualTo(machine.stateDigest());
    assertRefusedAsNotOwned(get(restored, MOVING, "m-a"));
    assertThat(chunk(restored, MOVING, EPOCH, null, 1_000).getPartitionChunk().getKvsCount()).isEqualTo(3);
    LogFixture restoredLog = new LogFixture(restored, log.index());
    assertThat(migration(restoredLog.applyOne(2_001, drop(MOVING, EPOCH))).getApplied()).isTrue();
    assertThat(restored.keyCount()).isEqualTo(1);
  }

  @Test
  void snapshotRoundTrip_everyGateState_keptInPartitionOrder() throws IOException {
    PartitionGates gates = new PartitionGates();
    gates.freeze(9, 3);
    gates.freeze(2, 4);
    gates.beginDrop(2, 4);
    gates.beginChunk(11, 5, true);
    gates.beginChunk(0, 6, true);
    gates.activate(0, 6);
    Path file = dir.resolve("snapshot.1_10");
    ShardSnapshot.write(file, SnapshotHeader.newBuilder().setTerm(1).setIndex(10).setPartitionCount(P).build(),
        new PartitionedStore(P), new ClientSessions(SessionConfig.DEFAULTS), gates);

    PartitionGates loaded = new PartitionGates();
    loaded.load(ShardSnapshot.read(file, P).gates());
    assertThat(loaded.toRecords()).isEqualTo(gates.toRecords());
    assertThat(loaded.toRecords()).extracting(g -> g.getPartition()).containsExactly(0, 2, 9, 11);
    assertThat(loaded.digest()).isEqualTo(gates.digest());
    assertThat(loaded.serves(0)).isTrue();
    assertThat(loaded.serves(2)).isFalse();
    assertThat(loaded.serves(9)).isFalse();
    assertThat(loaded.serves(11)).isFalse();
    assertThat(loaded.serves(1)).isTrue();
    assertThat(loaded.firstFrozen()).isEqualTo(9);
  }

  @Test
  void snapshotWithoutGateRecords_oldFormat_loadsWithEveryPartitionServing() throws IOException {
    KvStateMachine machine = newMachine();
    LogFixture log = source(machine);
    // a snapshot written before partition moves: keys and sessions, no gate record at all
    Path file = dir.resolve("snapshot.1_" + log.index());
    ShardSnapshot.write(file, header(machine, log.index()), machine.storeForTesting(), new ClientSessions(SessionConfig.DEFAULTS),
        new PartitionGates());
    assertThat(ShardSnapshot.read(file, P).gates()).isEmpty();

    // loaded into a machine that had a partition frozen: the snapshot's state replaces it
    KvStateMachine restored = newMachine();
    LogFixture restoredLog = new LogFixture(restored);
    restoredLog.applyOne(1_000, freeze(MOVING, EPOCH));
    restored.loadSnapshot(file);
    assertThat(restored.stateDigest()).isEqualTo(machine.stateDigest());
    for (int p = 0; p < P; p++) {
      assertThat(get(restored, p, "m-a").hasGet()).as("partition %d serves", p).isTrue();
    }
    assertThat(scanAll(restored).getScan().getKvsCount()).isEqualTo(4);
    assertThat(new LogFixture(restored, log.index()).applyOne(3_000, put(MOVING, "m-a", "v")).hasPut()).isTrue();
  }
  @Test
  void moveBack_toTheFormerSource_installsOverItsDroppedGate_andTheFormerTargetFreezesAgain() {
    KvStateMachine a = newMachine();
    LogFixture logA = source(a);
    KvStateMachine b = newMachine();
    LogFixture logB = new LogFixture(b);
    move(logA, a, logB, 1_000);
    logA.applyOne(2_003, drop(MOVING, EPOCH));
    logB.applyOne(3_000, put(MOVING, "m-b", "written in b"));

    long back = EPOCH + 5;
    MigrationResult frozen = migration(logB.applyOne(4_000, freeze(MOVING, back)));
    assertThat(frozen.getApplied()).as("an active partition moves out again: %s", frozen).isTrue();
    List<KeyValue> kvs = readAll(b, MOVING, back, 1_000).get(0).getKvsList();
    assertThat(migration(logA.applyOne(4_001, install(MOVING, back, true, kvs, frozen.getSessionsList()))).getApplied()).isTrue();
    assertThat(migration(logA.applyOne(4_002, activate(MOVING, back))).getApplied()).isTrue();
    assertThat(migration(logB.applyOne(4_003, drop(MOVING, back))).getApplied()).isTrue();

    assertThat(get(a, MOVING, "m-b").getGet().getKv().getValue().toStringUtf8()).isEqualTo("written in b");
    assertThat(a.keyCount()).isEqualTo(4);
    assertThat(b.keyCount()).isZero();
    assertRefusedAsNotOwned(get(b, MOVING, "m-b"));
    // the old move's steps are stale now on both sides
    assertThat(migration(logA.applyOne(4_004, drop(MOVING, EPOCH))).getApplied()).isFalse();
    assertThat(migration(logB.applyOne(4_004, activate(MOVING, EPOCH))).getApplied()).isFalse();
    assertThat(get(a, MOVING, "m-b").getGet().getFound()).isTrue();
  }

  /**
   * Fails on 8749cba: the target's revision is raised only to the highest mod revision among the
   * installed keys, and a deleted key leaves no key behind, so a key deleted in the source at a high
   * revision gets its next write in the target at a LOWER revision than that delete (and a
   * min_revision read of it at the delete's revision waits for a revision the target has not reached).
   */
  @Test
  void install_keyDeletedInTheSource_nextWriteInTheTargetGetsAHigherRevisionThanTheDelete() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = new LogFixture(source);
    sourceLog.applyOne(1_000, put(MOVING, "m-keep", "1")); // revision 1
    sourceLog.applyOne(1_000, put(MOVING, "m-gone", "1")); // revision 2
    for (int i = 0; i < 20; i++) {
      sourceLog.applyOne(1_000, put(OTHER, "o" + i, "x")); // revisions 3..22
    }
    long deletedAt = sourceLog.applyOne(1_001, delete(MOVING, "m-gone")).getRevision();
    assertThat(deletedAt).isEqualTo(23);

    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    move(sourceLog, source, targetLog, 1_000);
    CommandResult next = targetLog.applyOne(3_000, put(MOVING, "m-gone", "again"));
    assertThat(next.getRevision()).as("revision of the next write of m-gone (deleted in the source at %d)", deletedAt)
        .isGreaterThan(deletedAt);
  }

  /**
   * Fails on 8749cba: ClientSessions.merge keeps the source's last_active_index, an index of the
   * source's Raft log, and the table bound then evicts by that index; indexes of two logs are not
   * comparable, so a session active in the target after every merged one is evicted first, and a
   * retry of its write is applied a second time.
   */
  @Test
  void sessionsMerge_tableBoundReached_theTargetsMostRecentlyActiveSessionStillAnswersItsRetry() {
    SessionConfig oneSession = new SessionConfig(java.time.Duration.ofMinutes(10), 1, 100);
    KvStateMachine source = new KvStateMachine(P, oneSession);
    LogFixture sourceLog = new LogFixture(source);
    for (int i = 0; i < 500; i++) {
      sourceLog.applyOne(10_000, put(OTHER, "o" + i, "x")); // the source's log is longer
    }
    sourceLog.applyOne(10_000, withWriteId(put(MOVING, "m-a", "s"), "source-client", 1, 1)); // index 501
    KvStateMachine target = new KvStateMachine(P, oneSession);
    LogFixture targetLog = new LogFixture(target);
    Command write = withWriteId(put(OTHER, "t-a", "once"), "target-client", 1, 1);
    CommandResult applied = targetLog.applyOne(50_000, write); // index 1, 40 s after source-client's last write

    move(sourceLog, source, targetLog, 1_000);
    CommandResult retried = targetLog.applyOne(50_100, write);
    assertThat(retried).as("retry of target-client's write, answered from the table").isEqualTo(applied);
    assertThat(get(target, OTHER, "t-a").getGet().getKv().getVersion()).isEqualTo(1);
  }

  /**
   * Fails on 8749cba: delete-range is refused only while a partition is FROZEN; in the target it
   * skips an INSTALLING partition and is recorded in the session table. The server sends one
   * delete-range with one write id to every shard and retries it whole when a shard refuses
   * (ScanService.deleteRange), so the target answers the retry from its table, the source (which
   * has dropped the partition by then) skips it, and the moved partition's keys in the range are
   * never deleted although the delete-range succeeded in every shard.
   */
  @Test
  void deleteRange_retriedAcrossAMove_deletesTheMovedPartitionsKeysInTheRange() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    MigrationResult frozen = migration(sourceLog.applyOne(2_000, freeze(MOVING, EPOCH)));
    targetLog.applyOne(2_001, install(MOVING, EPOCH, true, readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList(),
        frozen.getSessionsList()));

    // the client's delete-range of [a, z), one write id for every shard
    Command deleteAll = withWriteId(deleteRange("a", "z"), "c7", 1, 1);
    assertRefusedAsNotOwned(sourceLog.applyOne(2_002, deleteAll));
    assertRefusedAsNotOwned(targetLog.applyOne(2_002, deleteAll));

    // the move finishes
    targetLog.applyOne(2_003, activate(MOVING, EPOCH));
    sourceLog.applyOne(2_004, drop(MOVING, EPOCH));

    // the retry with the same write id succeeds in both shards
    assertThat(sourceLog.applyOne(2_005, deleteAll).hasDeleteRange()).isTrue();
    assertThat(targetLog.applyOne(2_005, deleteAll).hasDeleteRange()).isTrue();
    ReadResult left = scanAll(target);
    assertThat(left.getScan().getKvsList()).as("keys in [a, z) left in the target after a successful delete-range")
        .extracting(kv -> kv.getKey().toStringUtf8()).isEmpty();
    assertThat(source.keyCount() + target.keyCount()).isZero();
  }

  @Test
  void install_sentToTheFrozenSource_refused_keysKept() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    sourceLog.applyOne(2_000, freeze(MOVING, EPOCH));
    long keys = source.keyCount();

    MigrationResult installed = migration(sourceLog.applyOne(2_001, install(MOVING, EPOCH, true, List.of())));

    assertThat(installed.getApplied()).isFalse();
    assertThat(source.keyCount()).as("the frozen keys, not yet copied, are kept").isEqualTo(keys);
  }

  @Test
  void install_lastSliceActivates_partitionServesWithoutAnActivateEntry() {
    KvStateMachine source = newMachine();
    LogFixture sourceLog = source(source);
    sourceLog.applyOne(2_000, freeze(MOVING, EPOCH));
    KvStateMachine target = newMachine();
    LogFixture targetLog = new LogFixture(target);
    Command last = install(MOVING, EPOCH, true, readAll(source, MOVING, EPOCH, 1_000).get(0).getKvsList());
    last = last.toBuilder().setInstallChunk(last.getInstallChunk().toBuilder().setActivate(true)).build();

    assertThat(migration(targetLog.applyOne(2_001, last)).getApplied()).isTrue();

    assertThat(get(target, MOVING, "m-a").getGet().getKv().getValue().toStringUtf8()).isEqualTo("1111");
    assertThat(migration(targetLog.applyOne(2_002, activate(MOVING, EPOCH))).getNote()).isEqualTo("already active");
  }
}
