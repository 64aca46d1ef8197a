package ringkv.raft.snapshot;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a group's snapshots on a thread of their own, so that the group's apply thread stops
 * only for the moment it takes to capture the state, not for writing the file.
 *
 * <p>Ratis calls {@code StateMachine.takeSnapshot} on the apply thread and treats the index it
 * returns as a snapshot on disk: it purges the log up to it and answers an operator's snapshot
 * request with it. So the answer is always the newest snapshot whose file is complete, never the
 * one being written. A call captures the state and starts writing it, and answers with the
 * previous snapshot; calls while the file is written (Ratis asks again after every applied batch
 * while its automatic trigger holds) answer the same at once; the first call after the file is
 * complete answers with its index, which lets Ratis purge. An operator's request therefore gets
 * an older index the first time, and the snapshot service asks again until the answer reaches the
 * index it needs (kv-server {@code SnapshotService}). When the server stops, {@link #close} lets
 * the write under way complete.
 *
 * <p>{@link #takeSnapshot} and {@link #loaded} run on the group's apply thread.
 */
public final class BackgroundSnapshots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSnapshots.class);
  /** After a failed write, the next one waits this long (a full disk must not be hammered). */
  private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Writes a captured state to its file and registers it as the group's latest snapshot. */
  @FunctionalInterface
  public interface Write {
    void run() throws IOException;
  }

  /** Where the group's snapshots stand: its applied index and its newest complete snapshot. */
  public interface Group {
    long appliedIndex();

    /** The index of the newest complete snapshot file, or -1. */
    long newestSnapshotIndex();

    /** Captures the state at the applied index (on the apply thread) and returns how to write it. */
    Write capture();
  }

  private final String name;
  private final ExecutorService writer;
  /** The index Ratis was last given. */
  private long answered;
  private volatile @Nullable CompletableFuture<Void> writing;
  private volatile long noWriteBeforeNanos = System.nanoTime();

  /**
   * @param name the group, for the writer thread's name and the log
   * @param newestComplete the index of the newest snapshot on disk when the group starts, or -1
   */
  public BackgroundSnapshots(String name, long newestComplete) {
    this.name = name;
    this.answered = newestComplete;
    this.writer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "snapshot-writer-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Answers Ratis' {@code takeSnapshot}: starts a snapshot of the current state if none is being
   * written and the newest one is behind, and returns the newest complete snapshot's index.
   */
  public long takeSnapshot(Group group) {
    if (writing()) {
      return answered;
    }
    long newest = group.newestSnapshotIndex();
    if (newest > answered) {
      answered = newest; // completed since the last call
      return answered;
    }
    if (group.appliedIndex() > newest && System.nanoTime() - noWriteBeforeNanos >= 0) {
      Write write = group.capture();
      writing = CompletableFuture.runAsync(() -> {
        try {
          write.run();
        } catch (IOException | RuntimeException e) {
          noWriteBeforeNanos = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
          LOG.error("snapshot write failed group={}; the log is kept behind the previous snapshot; next try in {} s", name,
              TimeUnit.NANOSECONDS.toSeconds(RETRY_AFTER_FAILURE_NANOS), e);
          throw new CompletionException(e);
        }
      }, writer);
    }
    return answered;
  }

  /** True while a snapshot file is being written. */
  public boolean writing() {
    CompletableFuture<Void> current = writing;
    return current != null && !current.isDone();
  }

  /**
   * The group loaded a snapshot (installed from the leader). Ratis set its snapshot index to it
   * and asserts that answers never go below it, so it must be the answer from now on, even while
   * an older capture is still being written.
   */
  public void loaded(long index) {
    answered = Math.max(answered, index);
  }

  /** Lets a write under way complete (the server is stopping: its file is the newest state on disk), then stops the thread. */
  @Override
  public void close() {
    CompletableFuture<Void> current = writing;
    try {
      if (current != null) {
        current.get(5, TimeUnit.MINUTES);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("snapshot being written of group {} did not complete before stopping: {}", name, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      writer.shutdown();
    }
  }
}
