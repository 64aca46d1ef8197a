package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ringkv.raft.shard.LogFixture.delete;
import static ringkv.raft.shard.LogFixture.put;
import static ringkv.raft.shard.LogFixture.withWriteId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.ErrorReasonCode;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.raft.codec.CommandCodec;

class KvStateMachineTest {
  private static final int P = 16;

  private static KvStateMachine newMachine() {
    return new KvStateMachine(P, SessionConfig.DEFAULTS);
  }

  @Test
  void put_revisionIsLogIndex_versionCountsWrites_createRevisionKept() {
    LogFixture log = new LogFixture(newMachine());
    CommandResult first = log.applyOne(1_000, put(3, "k", "a"));
    CommandResult second = log.applyOne(1_001, put(3, "k", "b"));
    assertThat(first.getRevision()).isEqualTo(1);
    assertThat(second.getRevision()).isEqualTo(2);
    assertThat(second.getPut().getPrevKv().getValue().toStringUtf8()).isEqualTo("a");
    var got = log.get(3, "k");
    assertThat(got.getFound()).isTrue();
    assertThat(got.getKv().getValue().toStringUtf8()).isEqualTo("b");
    assertThat(got.getKv().getCreateRevision()).isEqualTo(1);
    assertThat(got.getKv().getModRevision()).isEqualTo(2);
    assertThat(got.getKv().getVersion()).isEqualTo(2);
  }

  @Test
  void delete_existingAndMissingKey_reportsWhetherDeleted_andResetsVersion() {
    LogFixture log = new LogFixture(newMachine());
    log.applyOne(1_000, put(1, "k", "a"));
    CommandResult deleted = log.applyOne(1_000, delete(1, "k"));
    assertThat(deleted.getDelete().getDeleted()).isTrue();
    assertThat(deleted.getDelete().getPrevKv().getValue().toStringUtf8()).isEqualTo("a");
    assertThat(log.applyOne(1_000, delete(1, "k")).getDelete().getDeleted()).isFalse();
    assertThat(log.get(1, "k").getFound()).isFalse();
    log.applyOne(1_000, put(1, "k", "again"));
    assertThat(log.get(1, "k").getKv().getVersion()).isEqualTo(1);
    assertThat(log.get(1, "k").getKv().getCreateRevision()).isEqualTo(4);
  }

  @Test
  void entryWithManyCommands_eachGetsAResultAndARevisionOfItsOwn() {
    LogFixture log = new LogFixture(newMachine());
    log.applyOne(1_000, put(2, "c", "0"));
    LogEntryResult results = log.apply(1_000, put(0, "a", "1"), put(1, "b", "2"), delete(0, "a"));
    assertThat(results.getResultsList()).extracting(CommandResult::getRevision).containsExactly(2L, 3L, 4L);
    assertThat(results.getResults(2).getDelete().getPrevKv().getModRevision()).isEqualTo(2);
    assertThat(log.get(0, "a").getFound()).isFalse();
    assertThat(log.get(1, "b").getFound()).isTrue();
  }

  @Test
  void sameLog_onTwoReplicas_givesSameDigestAndResults() {
    KvStateMachine a = newMachine();
    KvStateMachine b = newMachine();
    LogFixture logA = new LogFixture(a);
    LogFixture logB = new LogFixture(b);
    Random random = new Random(42);
    List<CommandResult> resultsA = new ArrayList<>();
    List<CommandResult> resultsB = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String key = "key-" + random.nextInt(200);
      int partition = Math.floorMod(key.hashCode(), P);
      Command command = random.nextInt(4) == 0 ? delete(partition, key) : put(partition, key, "v" + random.nextInt());
      command = withWriteId(command, "client-" + random.nextInt(5), i + 1, i + 1);
      resultsA.add(logA.applyOne(1_000 + i, command));
      resultsB.add(logB.applyOne(1_000 + i, command));
    }
    assertThat(resultsA).isEqualTo(resultsB);
    assertThat(a.stateDigest()).isEqualTo(b.stateDigest());
    assertThat(a.keyCount()).isEqualTo(b.keyCount()).isPositive();
    assertThat(a.appliedIndex()).isEqualTo(2_000);
  }

  @Test
  void retriedWrite_sameClientAndSequence_appliedOnce_sameAnswer() {
    KvStateMachine machine = newMachine();
    LogFixture log = new LogFixture(machine);
    Command first = withWriteId(put(2, "counter", "1"), "c1", 5, 5);
    CommandResult applied = log.applyOne(1_000, first);
    long digest = machine.stateDigest();
    CommandResult duplicate = log.applyOne(1_001, first);
    assertThat(duplicate).isEqualTo(applied);
    assertThat(machine.stateDigest()).isEqualTo(digest);
    assertThat(log.get(2, "counter").getKv().getVersion()).isEqualTo(1);
    // the same sequence from another client is a different write
    log.applyOne(1_002, withWriteId(put(2, "counter", "1"), "c2", 5, 5));
    assertThat(log.get(2, "counter").getKv().getVersion()).isEqualTo(2);
  }

  @Test
  void writeBelowAcknowledgedFloor_withoutReply_isRejectedAsExpired_andChangesNothing() {
    KvStateMachine machine = newMachine();
    LogFixture log = new LogFixture(machine);
    log.applyOne(1_000, withWriteId(put(0, "a", "1"), "c1", 10, 10));
    // the client says everything below 12 has its answer; 11 never arrived here
    log.applyOne(1_000, withWriteId(put(0, "b", "1"), "c1", 12, 12));
    long digest = machine.stateDigest();
    CommandResult late = log.applyOne(1_000, withWriteId(put(0, "c", "1"), "c1", 11, 11));
    assertThat(late.getRejected().getReason()).isEqualTo(ErrorReasonCode.REJECT_SESSION_EXPIRED);
    assertThat(machine.stateDigest()).isEqualTo(digest);
    assertThat(log.get(0, "c").getFound()).isFalse();
    // and the forgotten reply of 10 is not replayed as a duplicate either
    assertThat(log.applyOne(1_000, withWriteId(put(0, "a", "1"), "c1", 10, 10)).hasRejected()).isTrue();
  }

  @Test
  void sessionExpiry_followsLogTime_notTheReplicasClock() {
    KvStateMachine machine = new KvStateMachine(P, new SessionConfig(Duration.ofSeconds(60), 100, 100));
    LogFixture log = new LogFixture(machine);
    Command write = withWriteId(put(0, "k", "v"), "c1", 1, 1);
    log.applyOne(1_000, write);
    // 59 s of log time later the retry is still a duplicate
    assertThat(log.applyOne(60_000, write).getRevision()).isEqualTo(1);
    assertThat(machine.sessionCount()).isEqualTo(1);
    // 61 s after the session's last write the session is gone: a (very late) retry is new
    CommandResult afterExpiry = log.applyOne(122_000, write);
    // the duplicate in between did not advance the revision
    assertThat(afterExpiry.getRevision()).isEqualTo(2);
    assertThat(log.get(0, "k").getKv().getVersion()).isEqualTo(2);
  }

  @Test
  void logTime_neverGoesBackwards_whenANewLeadersClockIsBehind() {
    KvStateMachine machine = new KvStateMachine(P, new SessionConfig(Duration.ofSeconds(60), 100, 100));
    LogFixture log = new LogFixture(machine);
    Command write = withWriteId(put(0, "k", "v"), "c1", 1, 1);
    log.applyOne(1_000, write);
    log.applyOne(200_000, put(0, "other", "x"));
    // a leader with a clock far behind must not revive the expired session
    CommandResult retry = log.applyOne(2_000, write);
    assertThat(retry.getRevision()).isEqualTo(3);
  }

  @Test
  void tooManyRepliesForOneClient_oldestForgotten_andReportedAsExpired() {
    KvStateMachine machine = new KvStateMachine(P, new SessionConfig(Duration.ofMinutes(10), 100, 3));
    LogFixture log = new LogFixture(machine);
    for (int seq = 1; seq <= 5; seq++) {
      log.applyOne(1_000, withWriteId(put(0, "k" + seq, "v"), "c1", seq, 1));
    }
    assertThat(log.applyOne(1_000, withWriteId(put(0, "k1", "v"), "c1", 1, 1)).hasRejected()).isTrue();
    assertThat(log.applyOne(1_000, withWriteId(put(0, "k5", "v"), "c1", 5, 1)).getRevision()).isEqualTo(5);
  }

  @Test
  void tooManySessions_leastRecentlyActiveForgotten() {
    KvStateMachine machine = new KvStateMachine(P, new SessionConfig(Duration.ofMinutes(10), 2, 10));
    LogFixture log = new LogFixture(machine);
    log.applyOne(1_000, withWriteId(put(0, "a", "v"), "c1", 1, 1));
    log.applyOne(1_000, withWriteId(put(0, "b", "v"), "c2", 1, 1));
    log.applyOne(1_000, withWriteId(put(0, "c", "v"), "c3", 1, 1));
    assertThat(machine.sessionCount()).isEqualTo(2);
  }

  @Test
  void entryFromANewerFormat_isRefusedRatherThanHalfApplied() {
    LogFixture log = new LogFixture(newMachine());
    LogEntry future = LogEntry.newBuilder().setFormatVersion(CommandCodec.READABLE_LOG_FORMAT_VERSION + 1).addCommands(put(0, "k", "v")).build();
    assertThatThrownBy(() -> log.applyRaw(future)).hasMessageContaining("newer");
  }
}
