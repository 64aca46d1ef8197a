package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static ringkv.raft.shard.LogFixture.bytes;
import static ringkv.raft.shard.LogFixture.put;

import org.junit.jupiter.api.Test;
import ringkv.api.v1.Command;
import ringkv.api.v1.Compare;
import ringkv.api.v1.Compare.CompareResult;
import ringkv.api.v1.Compare.CompareTarget;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.TxnCompare;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnResult;
import ringkv.api.v1.TxnStep;

class TxnApplierTest {
  private static final int P = 4;

  private static TxnCompare compare(String key, CompareTarget target, CompareResult result, Compare.Builder value) {
    return TxnCompare.newBuilder().setPartition(1)
        .setCompare(value.setKey(bytes(key)).setTarget(target).setResult(result)).build();
  }

  private static TxnStep putStep(String key, String value) {
    return TxnStep.newBuilder().setPut(PutOp.newBuilder().setPartition(1).setKey(bytes(key)).setValue(bytes(value)).setPrevKv(true)).build();
  }

  private static TxnStep getStep(String key) {
    return TxnStep.newBuilder().setGet(GetQuery.newBuilder().setPartition(1).setKey(bytes(key))).build();
  }

  private static TxnResult run(LogFixture log, TxnOp txn) {
    return log.applyOne(1_000, Command.newBuilder().setTxn(txn).build()).getTxn();
  }

  @Test
  void compareAndSet_onValue_succeedsOnlyWhenTheValueMatches() {
    LogFixture log = new LogFixture(new KvStateMachine(P, SessionConfig.DEFAULTS));
    log.applyOne(1_000, put(1, "k", "a"));
    TxnOp cas = TxnOp.newBuilder()
        .addCompares(compare("k", CompareTarget.VALUE, CompareResult.EQUAL, Compare.newBuilder().setValue(bytes("a"))))
        .addSuccess(putStep("k", "b"))
        .addFailure(getStep("k"))
        .build();
    TxnResult first = run(log, cas);
    assertThat(first.getSucceeded()).isTrue();
    assertThat(first.getResults(0).getPut().getPrevKv().getValue().toStringUtf8()).isEqualTo("a");
    TxnResult second = run(log, cas);
    assertThat(second.getSucceeded()).isFalse();
    assertThat(second.getResults(0).getGet().getKv().getValue().toStringUtf8()).as("failure branch reads current").isEqualTo("b");
  }

  @Test
  void putIfAbsent_viaExistsOrVersionZero_onlyTheFirstWins() {
    LogFixture log = new LogFixture(new KvStateMachine(P, SessionConfig.DEFAULTS));
    TxnOp ifAbsent = TxnOp.newBuilder()
        .addCompares(compare("k", CompareTarget.EXISTS, CompareResult.EQUAL, Compare.newBuilder().setExists(false)))
        .addSuccess(putStep("k", "first")).build();
    assertThat(run(log, ifAbsent).getSucceeded()).isTrue();
    assertThat(run(log, ifAbsent).getSucceeded()).isFalse();
    TxnOp versionZero = TxnOp.newBuilder()
        .addCompares(compare("k", CompareTarget.VERSION, CompareResult.EQUAL, Compare.newBuilder().setVersion(0)))
        .addSuccess(putStep("k", "second")).build();
    assertThat(run(log, versionZero).getSucceeded()).isFalse();
    assertThat(log.get(1, "k").getKv().getValue().toStringUtf8()).isEqualTo("first");
  }

  @Test
  void revisionsAndOrdering_compares() {
    StoredValue v = new StoredValue(bytes("m"), 5, 9, 3);
    assertThat(TxnApplier.holds(v, Compare.newBuilder().setTarget(CompareTarget.MOD).setResult(CompareResult.EQUAL).setModRevision(9).build())).isTrue();
    assertThat(TxnApplier.holds(v, Compare.newBuilder().setTarget(CompareTarget.CREATE).setResult(CompareResult.LESS).setCreateRevision(6).build())).isTrue();
    assertThat(TxnApplier.holds(v, Compare.newBuilder().setTarget(CompareTarget.VERSION).setResult(CompareResult.GREATER).setVersion(3).build())).isFalse();
    assertThat(TxnApplier.holds(v, Compare.newBuilder().setTarget(CompareTarget.VALUE).setResult(CompareResult.GREATER).setValue(bytes("a")).build())).isTrue();
    // a missing key has no value: only NOT_EQUAL holds for a value compare
    assertThat(TxnApplier.holds(null, Compare.newBuilder().setTarget(CompareTarget.VALUE).setResult(CompareResult.EQUAL).setValue(bytes("")).build())).isFalse();
    assertThat(TxnApplier.holds(null, Compare.newBuilder().setTarget(CompareTarget.VALUE).setResult(CompareResult.NOT_EQUAL).setValue(bytes("")).build())).isTrue();
  }

  @Test
  void successBranch_isAtomic_andGetsSeeEarlierWritesOfTheSameTxn() {
    KvStateMachine machine = new KvStateMachine(P, SessionConfig.DEFAULTS);
    LogFixture log = new LogFixture(machine);
    TxnOp txn = TxnOp.newBuilder().addSuccess(putStep("a", "1")).addSuccess(putStep("b", "2")).addSuccess(getStep("a")).build();
    TxnResult result = run(log, txn);
    assertThat(result.getResultsList()).hasSize(3);
    assertThat(result.getResults(2).getGet().getKv().getValue().toStringUtf8()).isEqualTo("1");
    assertThat(log.get(1, "a").getKv().getModRevision()).isEqualTo(log.get(1, "b").getKv().getModRevision());
  }
}
