package ringkv.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.api.v1.PutOp;
import ringkv.router.ShardId;

class GroupCommitterTest {
  private static final ShardId S0 = ShardId.of(0);
  private static final ShardId S1 = ShardId.of(1);

  /** Records every entry "sent" and lets the test decide when each one completes. */
  private static final class HeldEntries implements GroupCommitter.EntrySender {
    record Sent(ShardId shard, LogEntry entry, CompletableFuture<LogEntryResult> result) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public CompletableFuture<LogEntryResult> send(ShardId shard, LogEntry entry) {
      Sent s = new Sent(shard, entry, new CompletableFuture<>());
      sent.add(s);
      return s.result();
    }

    /** Completes entry {@code i} as a state machine would: one result per command, revision = 100 + i. */
    void apply(int i) {
      LogEntryResult.Builder results = LogEntryResult.newBuilder();
      sent.get(i).entry().getCommandsList().forEach(c -> results.addResults(CommandResult.newBuilder().setRevision(100 + i)));
      sent.get(i).result().complete(results.build());
    }

    List<Integer> sizes() {
      return sent.stream().map(s -> s.entry().getCommandsCount()).toList();
    }
  }

  private final HeldEntries sender = new HeldEntries();
  private final List<Integer> observedSizes = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private GroupCommitter committer(int inFlight, int commands, int bytes) {
    return new GroupCommitter(new GroupCommitter.Limits(inFlight, commands, bytes), sender, clock, observedSizes::add);
  }

  private static Command put(String key, int valueBytes) {
    return Command.newBuilder()
        .setPut(PutOp.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFrom(new byte[valueBytes])))
        .build();
  }

  @Test
  void aLoneCommand_goesOutAtOnce_inItsOwnEntry() throws Exception {
    GroupCommitter committer = committer(4, 512, 1 << 20);
    CompletableFuture<CommandResult> reply = committer.submit(S0, put("a", 1));

    assertThat(sender.sizes()).containsExactly(1);
    assertThat(sender.sent.get(0).entry().getProposedAtMillis()).isEqualTo(clock.millis());
    assertThat(sender.sent.get(0).entry().getFormatVersion()).isPositive();
    sender.apply(0);
    assertThat(reply.get().getRevision()).isEqualTo(100);
  }

  @Test
  void commandsArrivingWhileEverySlotIsBusy_shareTheNextEntry_andEachGetsItsOwnResult() throws Exception {
    GroupCommitter committer = committer(2, 512, 1 << 20);
    committer.submit(S0, put("a", 1));
    committer.submit(S0, put("b", 1));
    List<CompletableFuture<CommandResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(committer.submit(S0, put("w" + i, 1)));
    }
    assertThat(sender.sizes()).containsExactly(1, 1);
    assertThat(committer.waiting(S0)).isEqualTo(5);

    sender.apply(0);

    assertThat(sender.sizes()).containsExactly(1, 1, 5);
    assertThat(sender.sent.get(2).entry().getCommandsList()).extracting(c -> c.getPut().getKey().toStringUtf8())
        .containsExactly("w0", "w1", "w2", "w3", "w4");
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    sender.apply(2);
    for (CompletableFuture<CommandResult> reply : waiting) {
      assertThat(reply.get().getRevision()).isEqualTo(102);
    }
    assertThat(observedSizes).containsExactly(1, 1, 5);
  }

  @Test
  void anEntryTakesAtMostTheCommandLimit() {
    GroupCommitter committer = committer(1, 3, 1 << 20);
    committer.submit(S0, put("first", 1));
    for (int i = 0; i < 7; i++) {
      committer.submit(S0, put("k" + i, 1));
    }
    sender.apply(0);
    sender.apply(1);
    sender.apply(2);
    assertThat(sender.sizes()).containsExactly(1, 3, 3, 1);
  }

  @Test
  void anEntryStopsBeforeTheByteLimit_butACommandLargerThanTheLimitStillGoesAlone() {
    GroupCommitter committer = committer(1, 512, 2_500);
    committer.submit(S0, put("first", 1));
    committer.submit(S0, put("a", 1_000));
    committer.submit(S0, put("b", 1_000));
    committer.submit(S0, put("c", 1_000));
    committer.submit(S0, put("huge", 10_000));
    sender.apply(0);
    sender.apply(1);
    sender.apply(2);
    assertThat(sender.sizes()).containsExactly(1, 2, 1, 1);
    assertThat(sender.sent.get(3).entry().getCommands(0).getPut().getKey().toStringUtf8()).isEqualTo("huge");
  }

  @Test
  void aFailedEntry_failsEveryCommandInIt_andFreesItsSlot() {
    GroupCommitter committer = committer(1, 512, 1 << 20);
    CompletableFuture<CommandResult> first = committer.submit(S0, put("a", 1));
    CompletableFuture<CommandResult> second = committer.submit(S0, put("b", 1));
    CompletableFuture<CommandResult> third = committer.submit(S0, put("c", 1));

    sender.sent.get(0).result().completeExceptionally(new IllegalStateException("no leader"));

    assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasMessageContaining("no leader");
    assertThat(sender.sizes()).containsExactly(1, 2);
    sender.sent.get(1).result().completeExceptionally(new IllegalStateException("still no leader"));
    assertThatThrownBy(second::get).hasMessageContaining("still no leader");
    assertThatThrownBy(third::get).hasMessageContaining("still no leader");
    assertThat(committer.submit(S0, put("d", 1))).isNotDone();
    assertThat(sender.sizes()).containsExactly(1, 2, 1);
  }

  @Test
  void aSenderThatThrows_failsTheCommand_insteadOfLosingIt() {
    GroupCommitter committer = new GroupCommitter(new GroupCommitter.Limits(1, 8, 1 << 20),
        (shard, entry) -> {
          throw new IllegalStateException("node is stopping");
        }, clock, observedSizes::add);
    assertThatThrownBy(() -> committer.submit(S0, put("a", 1)).get()).hasMessageContaining("node is stopping");
    assertThatThrownBy(() -> committer.submit(S0, put("b", 1)).get()).hasMessageContaining("node is stopping");
  }

  @Test
  void aResultCountThatDoesNotMatchTheEntry_failsItsCommands() {
    GroupCommitter committer = committer(1, 512, 1 << 20);
    committer.submit(S0, put("a", 1));
    CompletableFuture<CommandResult> b = committer.submit(S0, put("b", 1));
    CompletableFuture<CommandResult> c = committer.submit(S0, put("c", 1));
    sender.apply(0);
    sender.sent.get(1).result().complete(LogEntryResult.newBuilder().addResults(CommandResult.getDefaultInstance()).build());
    assertThatThrownBy(b::get).hasMessageContaining("1 results for an entry of 2 commands");
    assertThatThrownBy(c::get).hasMessageContaining("1 results");
  }

  @Test
  void shardsHaveTheirOwnSlots() {
    GroupCommitter committer = committer(1, 512, 1 << 20);
    committer.submit(S0, put("a", 1));
    committer.submit(S0, put("b", 1));
    committer.submit(S1, put("c", 1));
    assertThat(sender.sent).extracting(HeldEntries.Sent::shard).containsExactly(S0, S1);
    assertThat(committer.waiting(S0)).isEqualTo(1);
    assertThat(committer.waiting(S1)).isZero();
  }

  private static List<String> keysOf(HeldEntries.Sent sent) {
    return sent.entry().getCommandsList().stream().map(c -> switch (c.getOpCase()) {
      case PUT -> c.getPut().getKey().toStringUtf8();
      case DELETE -> "del:" + c.getDelete().getKey().toStringUtf8();
      case TXN -> "txn";
      default -> "range";
    }).toList();
  }

  @Test
  void writesOfOneKey_shareAnEntry_inArrivalOrder() {
    GroupCommitter committer = committer(1, 512, 1 << 20);
    committer.submit(S0, put("first", 1));
    committer.submit(S0, put("k", 1));
    committer.submit(S0, put("x", 1));
    committer.submit(S0, put("k", 2));
    committer.submit(S0, Command.newBuilder().setDelete(ringkv.api.v1.DeleteOp.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build());
    sender.apply(0);
    assertThat(sender.sent).extracting(GroupCommitterTest::keysOf)
        .containsExactly(List.of("first"), List.of("k", "x", "k", "del:k"));
    assertThat(sender.sent.get(1).entry().getCommands(2).getPut().getValue().size()).as("the second write of k").isEqualTo(2);
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThatThrownBy(() -> new GroupCommitter.Limits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1");
  }
}
