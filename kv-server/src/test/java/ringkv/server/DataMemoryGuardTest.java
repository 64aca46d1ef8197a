package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.Command;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.DeleteRangeOp;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.InstallChunk;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnStep;
import ringkv.raft.shard.WriteRefusal;

class DataMemoryGuardTest {
  private static final long LIMIT = 1_000_000;
  private final AtomicLong held = new AtomicLong();
  // measured on every call, so that a test sees each change of `held` at once
  private final DataMemoryGuard guard = new DataMemoryGuard(LIMIT, held::get, 0);

  @Test
  void onlyPutsAndTransactionsWithAPutAddData() {
    assertThat(DataMemoryGuard.addsData(put())).isTrue();
    assertThat(DataMemoryGuard.addsData(txn(TxnStep.newBuilder().setDelete(DeleteOp.getDefaultInstance()).build(),
        TxnStep.newBuilder().setPut(PutOp.getDefaultInstance()).build()))).isTrue();
    assertThat(DataMemoryGuard.addsData(txn(TxnStep.newBuilder().setDelete(DeleteOp.getDefaultInstance()).build(),
        TxnStep.newBuilder().setDelete(DeleteOp.getDefaultInstance()).build()))).isFalse();
    assertThat(DataMemoryGuard.addsData(delete())).isFalse();
    assertThat(DataMemoryGuard.addsData(Command.newBuilder().setDeleteRange(DeleteRangeOp.getDefaultInstance()).build()))
        .isFalse();
    // a partition move copies data, but must finish once started: never refused
    assertThat(DataMemoryGuard.addsData(Command.newBuilder()
        .setInstallChunk(InstallChunk.newBuilder().addKvs(KeyValue.getDefaultInstance())).build())).isFalse();
  }

  @Test
  void belowTheLimit_admitsEverything_withoutDecodingTheEntry() {
    held.set(LIMIT - 1);
    AtomicInteger decoded = new AtomicInteger();
    assertThat(guard.refusal(() -> {
      decoded.incrementAndGet();
      return entry(put());
    })).isNull();
    assertThat(decoded).hasValue(0);
    guard.check(put(), () -> true);
  }

  @Test
  void atTheLimit_refusesEntriesThatAddData_andAdmitsDeletes() {
    held.set(LIMIT);
    WriteRefusal refusal = guard.refusal(entryOf(delete(), put()));
    assertThat(refusal).isNotNull();
    assertThat(refusal.reason()).isEqualTo(ErrorReason.MEMORY_FULL);
    assertThat(refusal.message()).contains("max-data-memory").contains("deletes and reads still work");
    assertThat(guard.refusal(entryOf(delete(), delete()))).isNull();
  }

  @Test
  void check_refusesAPut_onlyWhereTheShardIsHosted() {
    held.set(LIMIT + 1);
    RequestFailedException refused = catchThrowableOfType(RequestFailedException.class,
        () -> guard.check(put(), () -> true));
    assertThat(refused.reason()).isEqualTo(ErrorReason.MEMORY_FULL);
    // this node holds no replica of the shard: its memory is not what the write fills; the leader decides
    guard.check(put(), () -> false);
    guard.check(delete(), () -> true);
  }

  @Test
  void admitsAgain_whenDataIsDeleted() {
    held.set(LIMIT);
    assertThat(guard.refusal(entryOf(put()))).isNotNull();
    held.set(LIMIT - 100);
    assertThat(guard.refusal(entryOf(put()))).isNull();
    assertThat(guard.heldBytes()).isEqualTo(LIMIT - 100);
  }

  @Test
  void countsTheIndexOfEachKey() {
    assertThat(DataMemoryGuard.bytesHeld(1_000, 1_016_000))
        .isEqualTo(1_016_000 + 1_000 * DataMemoryGuard.INDEX_BYTES_PER_KEY);
  }

  /** A put of one small key, for the tests of the write gates. */
  static Command put() {
    return Command.newBuilder().setPut(PutOp.newBuilder().setKey(ByteString.copyFromUtf8("k"))
        .setValue(ByteString.copyFromUtf8("v"))).build();
  }

  static Command delete() {
    return Command.newBuilder().setDelete(DeleteOp.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build();
  }

  private static Command txn(TxnStep success, TxnStep failure) {
    return Command.newBuilder().setTxn(TxnOp.newBuilder().addSuccess(success).addFailure(failure)).build();
  }

  private static LogEntry entry(Command... commands) {
    LogEntry.Builder entry = LogEntry.newBuilder();
    for (Command c : commands) {
      entry.addCommands(c);
    }
    return entry.build();
  }

  private static Supplier<LogEntry> entryOf(Command... commands) {
    return () -> entry(commands);
  }
}
