package ringkv.server.routing;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.LogEntry;
import ringkv.api.v1.LogEntryResult;
import ringkv.raft.codec.CommandCodec;
import ringkv.router.ShardId;

/**
 * Group commit: packs the commands that reach a shard while earlier entries of that shard are
 * still being replicated into one log entry, and answers each command from its own result.
 *
 * <p>Why: Ratis costs per log entry (an AppendEntries, an fsync batch, per-entry bookkeeping on
 * three replicas), almost nothing per byte (guides/ratis.md section 15: 16 commands per entry
 * gave ~14x the puts/s of one). How: each shard has at most {@link Limits#maxEntriesInFlight}
 * entries being replicated. A command that finds a free slot goes out at once, alone, so an idle
 * write pays no batching delay; commands that find every slot taken wait in the shard's queue,
 * and when an entry completes, the next entry takes everything waiting (up to the command and
 * byte limits). Under load the batches therefore grow by themselves, with no timer.
 *
 * <p>Commands of one entry are applied one after the other, each at a revision of its own
 * (KvStateMachine counts revisions per command), so writes of the same key may share an entry:
 * a hot key's writers are answered together instead of one entry each.
 *
 * <p>Every command keeps its own write id, so the state machine deduplicates a retried command
 * on its own, whatever entry it travelled in. If an entry fails, every command in it fails with
 * the same error (the entry was applied as a whole or not at all).
 */
final class GroupCommitter {
  /**
   * @param maxEntriesInFlight entries of one shard replicating at once from this node
   * @param maxCommandsPerEntry commands packed into one entry at most
   * @param maxEntryBytes serialized commands per entry at most (a single larger command still goes, alone)
   */
  record Limits(int maxEntriesInFlight, int maxCommandsPerEntry, int maxEntryBytes) {
    /** {@code entriesInFlight} from the node's settings; up to 512 commands or 1 MiB of them per entry. */
    static Limits of(int entriesInFlight) {
      return new Limits(entriesInFlight, 512, 1 << 20);
    }

    Limits {
      if (maxEntriesInFlight < 1 || maxCommandsPerEntry < 1 || maxEntryBytes < 1) {
        throw new IllegalArgumentException("group commit limits must be >= 1: " + maxEntriesInFlight + ", "
            + maxCommandsPerEntry + ", " + maxEntryBytes);
      }
    }
  }

  /** Replicates one entry through the shard's log and completes with its results. */
  interface EntrySender {
    CompletableFuture<LogEntryResult> send(ShardId shard, LogEntry entry);
  }

  private record Pending(Command command, int bytes, CompletableFuture<CommandResult> reply) {}

  private final Limits limits;
  private final EntrySender sender;
  private final Clock clock;
  private final IntConsumer entrySizeObserver;
  private final Map<ShardId, ShardQueue> queues = new ConcurrentHashMap<>();

  /** {@code entrySizeObserver} is told the number of commands of every entry sent (for metrics). */
  GroupCommitter(Limits limits, EntrySender sender, Clock clock, IntConsumer entrySizeObserver) {
    this.limits = limits;
    this.sender = sender;
    this.clock = clock;
    this.entrySizeObserver = entrySizeObserver;
  }

  CompletableFuture<CommandResult> submit(ShardId shard, Command command) {
    return queues.computeIfAbsent(shard, ShardQueue::new).submit(command);
  }

  /** The commands of one shard waiting for a free slot (for tests and metrics). */
  int waiting(ShardId shard) {
    ShardQueue queue = queues.get(shard);
    return queue == null ? 0 : queue.waitingCount();
  }

  private final class ShardQueue {
    private final ShardId shard;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;

    ShardQueue(ShardId shard) {
      this.shard = shard;
    }

    CompletableFuture<CommandResult> submit(Command command) {
      Pending pending = new Pending(command, command.getSerializedSize(), new CompletableFuture<>());
      List<Pending> batch;
      synchronized (this) {
        waiting.add(pending);
        batch = takeBatchIfSlotFree();
      }
      if (batch != null) {
        send(batch);
      }
      return pending.reply();
    }

    synchronized int waitingCount() {
      return waiting.size();
    }

    /** Called holding the lock: the next entry's commands, in arrival order, claiming a slot; or null. */
    private List<Pending> takeBatchIfSlotFree() {
      if (waiting.isEmpty() || inFlight >= limits.maxEntriesInFlight()) {
        return null;
      }
      List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), limits.maxCommandsPerEntry()));
      int bytes = 0;
      while (!waiting.isEmpty() && batch.size() < limits.maxCommandsPerEntry()) {
        Pending next = waiting.peek();
        if (!batch.isEmpty() && bytes + next.bytes() > limits.maxEntryBytes()) {
          break;
        }
        batch.add(waiting.poll());
        bytes += next.bytes();
      }
      inFlight++;
      return batch;
    }

    private void send(List<Pending> batch) {
      LogEntry.Builder entry = LogEntry.newBuilder()
          .setFormatVersion(CommandCodec.LOG_FORMAT_VERSION)
          .setProposedAtMillis(clock.millis());
      batch.forEach(p -> entry.addCommands(p.command()));
      entrySizeObserver.accept(batch.size());
      CompletableFuture<LogEntryResult> sent;
      try {
        sent = sender.send(shard, entry.build());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((results, error) -> {
        // free the slot and start the next entry before answering, so replication never waits
        // on the callers' reply work
        List<Pending> next;
        synchronized (this) {
          inFlight--;
          next = takeBatchIfSlotFree();
        }
        if (next != null) {
          send(next);
        }
        answer(batch, results, error);
      });
    }

    private void answer(List<Pending> batch, LogEntryResult results, Throwable error) {
      if (error == null && results.getResultsCount() != batch.size()) {
        error = new IllegalStateException(shard + " answered " + results.getResultsCount() + " results for an entry of "
            + batch.size() + " commands");
      }
      for (int i = 0; i < batch.size(); i++) {
        if (error != null) {
          batch.get(i).reply().completeExceptionally(error);
        } else {
          batch.get(i).reply().complete(results.getResults(i));
        }
      }
    }
  }
}
