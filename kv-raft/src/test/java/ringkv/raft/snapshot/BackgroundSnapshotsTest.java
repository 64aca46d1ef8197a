package ringkv.raft.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link BackgroundSnapshots} answers Ratis' {@code takeSnapshot} calls. The group here
 * stands for a shard: its writes record their index as complete when they finish, and can be held
 * back with a latch, so the test decides when a background write ends.
 */
class BackgroundSnapshotsTest {
  private final AtomicLong newestComplete = new AtomicLong(-1);
  private final List<Long> captured = new ArrayList<>();
  private final List<String> writerThreads = new ArrayList<>();
  private final BackgroundSnapshots snapshots = new BackgroundSnapshots("test-group", -1);
  private CountDownLatch release = new CountDownLatch(0);
  private boolean failWrites;

  @AfterEach
  void stop() {
    release.countDown();
    snapshots.close();
  }

  private long takeSnapshot(long applied) {
    return snapshots.takeSnapshot(new BackgroundSnapshots.Group() {
      @Override
      public long appliedIndex() {
        return applied;
      }

      @Override
      public long newestSnapshotIndex() {
        return newestComplete.get();
      }

      @Override
      public BackgroundSnapshots.Write capture() {
        captured.add(applied);
        CountDownLatch gate = release;
        boolean fail = failWrites;
        return () -> {
          synchronized (writerThreads) {
            writerThreads.add(Thread.currentThread().getName());
          }
          awaitQuietly(gate);
          if (fail) {
            throw new IOException("disk full (test)");
          }
          newestComplete.accumulateAndGet(applied, Math::max);
        };
      }
    });
  }

  private static void awaitQuietly(CountDownLatch gate) {
    try {
      assertThat(gate.await(30, TimeUnit.SECONDS)).as("the test released the write").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitWriteDone() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (snapshots.writing()) {
      assertThat(System.nanoTime()).as("background write finished").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static void releaseSoon(CountDownLatch gate) {
    CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gate.countDown();
    });
  }

  @Test
  void a_snapshot_is_written_on_another_thread_and_reported_only_once_complete() throws Exception {
    release = new CountDownLatch(1);

    assertThat(takeSnapshot(150)).as("nothing complete yet: Ratis must not purge").isEqualTo(-1);
    assertThat(snapshots.writing()).isTrue();
    // Ratis asks again after every applied batch while its trigger holds
    assertThat(takeSnapshot(160)).isEqualTo(-1);
    assertThat(takeSnapshot(170)).isEqualTo(-1);
    assertThat(captured).as("one capture, at the index of the first call").containsExactly(150L);

    release.countDown();
    awaitWriteDone();
    assertThat(takeSnapshot(180)).as("complete now: Ratis may purge up to it").isEqualTo(150);
    assertThat(writerThreads).containsExactly("snapshot-writer-test-group");
  }

  @Test
  void an_operators_request_gets_the_older_index_until_the_snapshot_of_its_time_is_complete() throws Exception {
    takeSnapshot(150);
    awaitWriteDone();
    assertThat(takeSnapshot(151)).isEqualTo(150);

    // the snapshot service needs index 200 and asks until the answer reaches it
    release = new CountDownLatch(1);
    assertThat(takeSnapshot(200)).isEqualTo(150);
    assertThat(takeSnapshot(205)).isEqualTo(150);
    release.countDown();
    awaitWriteDone();
    assertThat(takeSnapshot(210)).isEqualTo(200);
    assertThat(captured).containsExactly(150L, 200L);
  }

  @Test
  void nothing_is_written_when_the_newest_snapshot_is_the_current_state() throws Exception {
    takeSnapshot(150);
    awaitWriteDone();

    assertThat(takeSnapshot(150)).isEqualTo(150);
    assertThat(takeSnapshot(150)).isEqualTo(150);
    assertThat(snapshots.writing()).isFalse();
    assertThat(captured).containsExactly(150L);
  }

  @Test
  void a_failed_write_keeps_the_older_answer_and_is_not_retried_at_once() throws Exception {
    takeSnapshot(150);
    awaitWriteDone();
    assertThat(takeSnapshot(151)).isEqualTo(150);

    failWrites = true;
    assertThat(takeSnapshot(260)).isEqualTo(150);
    awaitWriteDone();
    assertThat(takeSnapshot(261)).as("the log stays kept behind the older snapshot").isEqualTo(150);
    assertThat(takeSnapshot(262)).isEqualTo(150);
    assertThat(captured).as("no new capture right after a failure").containsExactly(150L, 260L);
  }

  @Test
  void a_snapshot_installed_during_a_write_is_the_answer_at_once() throws Exception {
    takeSnapshot(150);
    awaitWriteDone();
    assertThat(takeSnapshot(151)).isEqualTo(150);
    release = new CountDownLatch(1);
    takeSnapshot(260); // held, as an install from the leader arrives

    newestComplete.set(5_000);
    snapshots.loaded(5_000);

    // Ratis set its own snapshot index to 5,000 on reload and asserts the answers never go below
    // it: an answer of 150 here would stop the group
    assertThat(snapshots.writing()).isTrue();
    assertThat(takeSnapshot(5_001)).isEqualTo(5_000);
    release.countDown();
    awaitWriteDone();
    assertThat(takeSnapshot(5_002)).as("the older file finished later changes nothing").isEqualTo(5_000);
  }

  @Test
  void closing_lets_the_write_under_way_complete() throws Exception {
    release = new CountDownLatch(1);
    takeSnapshot(150);
    releaseSoon(release);

    snapshots.close();

    assertThat(newestComplete.get()).isEqualTo(150);
  }
}
