package ringkv.bench;

import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvException;

/**
 * Drives the workload from {@code threads} threads and measures it.
 *
 * <p>Implementation notes. Each thread keeps at most {@code inFlight} async requests
 * outstanding (a semaphore). Closed loop: a thread sends as soon as a permit is free and
 * latency counts from the send. Open loop: a thread sends at the times of its
 * {@link OpenLoopSchedule} and latency counts from the intended time, so a stall (a full
 * in-flight window, a GC pause, a slow server) shows up as latency instead of silently lowering
 * the offered load. An operation belongs to the phase (warm-up or measured) of its send time and
 * is recorded in that phase's {@link Recorder}; the control thread takes interval histograms
 * every second for the progress line and adds them to the phase totals. Latencies are recorded
 * in microseconds; only successful operations go into the histograms, failures are counted by
 * code.
 */
final class LoadRunner {
  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BenchSettings settings;
  private final Operations operations;
  private final PrintStream out;
  private final Phase warmup = new Phase();
  private final Phase measured = new Phase();
  private final AtomicLong tickets;
  private final AtomicLong lastMeasuredCompletion = new AtomicLong();
  private long startNanos;
  private long warmupEndNanos;
  private long endNanos;

  /** Latencies and failures of one phase. */
  private static final class Phase {
    final Recorder recorder = new Recorder(3);
    final Histogram total = new Histogram(3);
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final LongAdder casConflicts = new LongAdder();

    long errorCount() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errorsByCode() {
      Map<String, Long> m = new HashMap<>();
      errors.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }
  }

  LoadRunner(BenchSettings settings, Operations operations, PrintStream out) {
    this.settings = settings;
    this.operations = operations;
    this.out = out;
    this.tickets = new AtomicLong(settings.ops() > 0 ? settings.ops() : Long.MAX_VALUE);
  }

  /** Runs warm-up and measurement; returns the report of the measured phase. */
  BenchReport run() throws InterruptedException {
    startNanos = System.nanoTime();
    warmupEndNanos = startNanos + settings.warmup().toNanos();
    endNanos = settings.ops() > 0 ? Long.MAX_VALUE : warmupEndNanos + settings.duration().toNanos();
    lastMeasuredCompletion.set(warmupEndNanos);
    CountDownLatch done = new CountDownLatch(settings.threads());
    for (int t = 0; t < settings.threads(); t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          work(thread);
        } finally {
          done.countDown();
        }
      }, "bench-" + t);
      w.setDaemon(true);
      w.start();
    }
    long nextTick = startNanos + TICK_NANOS;
    long lastErrors = 0;
    while (!done.await(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      Histogram interval = snapshot();
      long errors = warmup.errorCount() + measured.errorCount();
      out.println(progressLine(Math.round((nextTick - startNanos) / 1e9), nextTick <= warmupEndNanos,
          interval, 1.0, errors - lastErrors));
      lastErrors = errors;
      nextTick += TICK_NANOS;
    }
    snapshot();
    double seconds = Math.max(0, lastMeasuredCompletion.get() - warmupEndNanos) / 1e9;
    return BenchReport.of(settings.echo(), seconds, measured.total, measured.casConflicts.sum(),
        measured.errorsByCode(), warmup.total.getTotalCount());
  }

  /** Moves both recorders' intervals into the phase totals; returns the two intervals summed. */
  private Histogram snapshot() {
    Histogram w = warmup.recorder.getIntervalHistogram();
    Histogram m = measured.recorder.getIntervalHistogram();
    warmup.total.add(w);
    measured.total.add(m);
    Histogram both = new Histogram(3);
    both.add(w);
    both.add(m);
    return both;
  }

  static String progressLine(long second, boolean inWarmup, Histogram intervalMicros, double intervalSeconds,
      long errors) {
    return String.format(Locale.ROOT, "t=%ds%s ops/s=%,.0f p50=%.2fms p99=%.2fms errors=%d", second,
        inWarmup ? " (warm-up)" : "", intervalMicros.getTotalCount() / intervalSeconds,
        intervalMicros.getValueAtPercentile(50) / 1000.0, intervalMicros.getValueAtPercentile(99) / 1000.0, errors);
  }

  private void work(int thread) {
    SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + thread);
    Semaphore permits = new Semaphore(settings.inFlight());
    @Nullable OpenLoopSchedule schedule = settings.isOpenLoop()
        ? new OpenLoopSchedule(startNanos, settings.ratePerSecond(), settings.threads(), thread)
        : null;
    long n = 0;
    try {
      while (true) {
        long sendAt;
        if (schedule != null) {
          sendAt = schedule.intendedNanos(n++);
          if (sendAt >= endNanos) {
            break;
          }
          long wait;
          while ((wait = sendAt - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          permits.acquire();
        } else {
          permits.acquire();
          sendAt = System.nanoTime();
          if (sendAt >= endNanos) {
            permits.release();
            break;
          }
        }
        Phase phase = sendAt < warmupEndNanos ? warmup : measured;
        if (phase == measured && settings.ops() > 0 && tickets.getAndDecrement() <= 0) {
          permits.release();
          break;
        }
        long intended = sendAt;
        operations.issue(random).whenComplete((outcome, error) -> {
          try {
            record(phase, intended, outcome, error);
          } finally {
            permits.release();
          }
        });
      }
      // drain: wait for the last responses (the client's call timeout bounds each one)
      permits.acquire(settings.inFlight());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(Phase phase, long intendedNanos, Operations.@Nullable Outcome outcome,
      @Nullable Throwable error) {
    long now = System.nanoTime();
    if (phase == measured) {
      lastMeasuredCompletion.accumulateAndGet(now, Math::max);
    }
    if (error != null) {
      phase.errors.computeIfAbsent(errorCode(error), k -> new LongAdder()).increment();
      return;
    }
    phase.recorder.recordValue(Math.max(0, (now - intendedNanos) / 1000));
    if (outcome == Operations.Outcome.CAS_CONFLICT) {
      phase.casConflicts.increment();
    }
  }

  /** The grouping key of a failure: gRPC code plus the RingKV reason when there is one. */
  static String errorCode(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof KvException kv) {
      ErrorReason reason = kv.reason();
      boolean hasReason = reason != null && reason != ErrorReason.ERROR_REASON_UNSPECIFIED
          && reason != ErrorReason.UNRECOGNIZED;
      return kv.code().name() + (hasReason ? "/" + reason.name() : "");
    }
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus().getCode().name();
    }
    return e.getClass().getSimpleName();
  }
}
