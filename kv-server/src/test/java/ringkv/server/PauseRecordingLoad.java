package ringkv.server;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import ringkv.client.GetResult;
import ringkv.client.KvClient;

/**
 * Client threads that each put a new key and read it back, over and over, recording every
 * acknowledged write, every failed request, and per phase (named by the test: "steady",
 * "restart n1", ...) the longest time one request took: the longest pause a client saw.
 *
 * <p>Implementation notes. Keys are unique (thread and counter), so a write is acknowledged at
 * most once and the read that follows must return exactly it. A request belongs to the phase in
 * force when it started. Records are written by the load's threads and read after {@link #stop}
 * joined them; the phase statistics are concurrent maps of atomics.
 */
final class PauseRecordingLoad {
  private static final int MAX_SAMPLES = 10;

  private final KvClient client;
  private final int threadCount;
  private final Map<ByteString, ByteString> acknowledged = new ConcurrentHashMap<>();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> phase = new AtomicReference<>("steady");
  private final Map<String, PhaseStats> phases = new ConcurrentHashMap<>();
  private final List<String> phaseOrder = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("steady"));
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /** Requests and the longest one of a phase. */
  record PhaseSummary(String phase, long requests, Duration longestRequest, String longestOp) {}

  private static final class PhaseStats {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong longestNanos = new AtomicLong();
    final AtomicReference<String> longestOp = new AtomicReference<>("");

    void record(String op, long nanos) {
      requests.incrementAndGet();
      long previous = longestNanos.get();
      while (nanos > previous) {
        if (longestNanos.compareAndSet(previous, nanos)) {
          longestOp.set(op);
          return;
        }
        previous = longestNanos.get();
      }
    }
  }

  PauseRecordingLoad(KvClient client, int threadCount) {
    this.client = client;
    this.threadCount = threadCount;
  }

  void start() {
    for (int t = 0; t < threadCount; t++) {
      int id = t;
      Thread thread = new Thread(() -> run(id), "pause-load-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Requests started from now on count in {@code name}. */
  void phase(String name) {
    phaseOrder.add(name);
    phase.set(name);
  }

  private void run(int thread) {
    for (long n = 0; !stopping.get(); n++) {
      ByteString key = ByteString.copyFromUtf8("upgrade/t" + thread + "/k" + n);
      ByteString value = ByteString.copyFromUtf8("v" + n + "-of-t" + thread);
      if (!timed("put " + key.toStringUtf8(), () -> client.put(key, value))) {
        continue;
      }
      acknowledged.put(key, value);
      timed("get " + key.toStringUtf8(), () -> {
        GetResult read = client.get(key);
        if (!read.found() || !read.kv().value().equals(value)) {
          throw new AssertionError("read " + (read.found() ? read.kv().value().toStringUtf8() : "nothing") + " after put");
        }
      });
    }
  }

  /** Runs one request, timing it into the current phase; false when it failed. */
  private boolean timed(String op, Runnable request) {
    PhaseStats stats = phases.computeIfAbsent(phase.get(), p -> new PhaseStats());
    long start = System.nanoTime();
    try {
      request.run();
      return true;
    } catch (RuntimeException | AssertionError e) {
      failures.incrementAndGet();
      if (failureSamples.size() < MAX_SAMPLES) {
        failureSamples.add(op + ": " + e);
      }
      return false;
    } finally {
      stats.record(op, System.nanoTime() - start);
      operations.incrementAndGet();
    }
  }

  long operations() {
    return operations.get();
  }

  long failures() {
    return failures.get();
  }

  List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  /** Writes acknowledged so far, key to value. */
  Map<ByteString, ByteString> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  /** Waits (polling the counter) until {@code more} requests completed after this call. */
  void awaitMoreOperations(long more, Duration timeout) throws InterruptedException {
    long target = operations.get() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (operations.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + timeout + " for " + more + " more requests; " + failures.get()
            + " failed, e.g. " + failureSamples());
      }
      Thread.sleep(20);
    }
  }

  /** Lets each thread finish its current request and waits for all of them. */
  void stop(Duration timeout) throws InterruptedException {
    stopping.set(true);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " still running " + timeout + " after stop");
      }
    }
  }

  /** Every phase in the order the test named them. */
  List<PhaseSummary> summary() {
    Map<String, PhaseSummary> byPhase = new LinkedHashMap<>();
    for (String name : phaseOrder) {
      PhaseStats stats = phases.get(name);
      byPhase.put(name, stats == null ? new PhaseSummary(name, 0, Duration.ZERO, "")
          : new PhaseSummary(name, stats.requests.get(), Duration.ofNanos(stats.longestNanos.get()), stats.longestOp.get()));
    }
    return List.copyOf(byPhase.values());
  }
}
