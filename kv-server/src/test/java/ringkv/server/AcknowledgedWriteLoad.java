package ringkv.server;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import ringkv.client.KvClient;

/**
 * Writer threads that put new keys and overwrite recent ones with growing versions, recording
 * for every key the last acknowledged value and the value of a write whose outcome is unknown,
 * then check what a reader sees against that record.
 *
 * <p>Implementation notes. Each key belongs to one writer thread, so the writes to a key are
 * sequential. When a write fails (timeout, node down, client closed) its outcome is unknown: it
 * may have been applied, and may even be applied later, after anything the thread does next. The
 * thread therefore never writes that key again, and the key's history ends as: acknowledged
 * writes, then at most one unknown write. A read is then correct exactly when it returns the last
 * acknowledged value or the unknown one; with no acknowledged write, also when the key is absent.
 * Records are written by their thread only, and read after {@link #stop} joined the threads.
 */
final class AcknowledgedWriteLoad {
  /** The recent keys a thread picks overwrites from. */
  private static final int OVERWRITE_WINDOW = 50;
  private static final int MAX_SAMPLES = 10;

  private final KvClient client;
  private final int threadCount;
  private final long seed;
  private final int valueBytes;
  private final ConcurrentHashMap<ByteString, KeyRecord> records = new ConcurrentHashMap<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong unacknowledged = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /** One key's history, as its writer thread knows it. */
  private static final class KeyRecord {
    final ByteString key;
    int version;
    ByteString lastAcknowledged;
    ByteString unknownOutcome;

    KeyRecord(ByteString key) {
      this.key = key;
    }
  }

  /** Reads one key; empty when it does not exist. */
  interface Reader {
    Optional<ByteString> read(ByteString key);
  }

  /**
   * What a reader saw.
   *
   * @param keys keys written at least once
   * @param acknowledgedKeys keys with at least one acknowledged write (these must be present)
   * @param unknownOutcomeVisible keys whose read value is that of the write with unknown outcome
   * @param violations keys whose value is neither allowed one, described; empty when correct
   */
  record Verification(int keys, int acknowledgedKeys, int unknownOutcomeVisible, List<String> violations) {
    Verification {
      violations = List.copyOf(violations);
    }
  }

  AcknowledgedWriteLoad(KvClient client, int threadCount, long seed, int valueBytes) {
    this.client = client;
    this.threadCount = threadCount;
    this.seed = seed;
    this.valueBytes = valueBytes;
  }

  void start() {
    for (int t = 0; t < threadCount; t++) {
      int id = t;
      Thread thread = new Thread(() -> write(id), "write-load-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void write(int thread) {
    Random random = new Random(seed * 31 + thread);
    List<KeyRecord> open = new ArrayList<>();
    int created = 0;
    while (!stopping.get()) {
      KeyRecord record;
      if (!open.isEmpty() && random.nextInt(4) == 0) {
        record = open.get(open.size() - 1 - random.nextInt(Math.min(OVERWRITE_WINDOW, open.size())));
      } else {
        record = new KeyRecord(ByteString.copyFromUtf8("crash/t" + thread + "/k" + created++));
        records.put(record.key, record);
        open.add(record);
      }
      ByteString value = value(record.key, ++record.version);
      record.unknownOutcome = value;
      try {
        client.put(record.key, value);
        record.lastAcknowledged = value;
        record.unknownOutcome = null;
        acknowledged.incrementAndGet();
      } catch (RuntimeException e) {
        unacknowledged.incrementAndGet();
        open.remove(record);
        if (failureSamples.size() < MAX_SAMPLES) {
          failureSamples.add(e.toString());
        }
      }
    }
  }

  private ByteString value(ByteString key, int version) {
    StringBuilder text = new StringBuilder(key.toStringUtf8()).append("#v").append(version).append('#');
    while (text.length() < valueBytes) {
      text.append((char) ('a' + text.length() % 26));
    }
    return ByteString.copyFromUtf8(text.toString());
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long unacknowledged() {
    return unacknowledged.get();
  }

  /** A few of the failures writers saw, for reports. */
  List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  /** Waits (polling the counter) until {@code count} writes were acknowledged. */
  void awaitAcknowledged(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acknowledged.get() < count) {
      if (System.nanoTime() > deadline || threads.stream().noneMatch(Thread::isAlive)) {
        throw new AssertionError("waited " + timeout + " for " + count + " acknowledged writes, got " + acknowledged.get()
            + " (" + unacknowledged.get() + " failed, e.g. " + failureSamples() + ")");
      }
      Thread.sleep(20);
    }
  }

  /** Lets each thread finish its current write and waits for all of them. */
  void stop(Duration timeout) throws InterruptedException {
    stopping.set(true);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " still writing " + timeout + " after stop");
      }
    }
  }

  /** Reads every key written, {@code parallelism} at a time, and compares with the record. */
  Verification verify(Reader reader, int parallelism) throws InterruptedException {
    if (threads.stream().anyMatch(Thread::isAlive)) {
      throw new IllegalStateException("stop the load before verifying");
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<Outcome>> outcomes = new ArrayList<>();
      for (KeyRecord record : records.values()) {
        outcomes.add(pool.submit(() -> check(record, reader)));
      }
      int acknowledgedKeys = 0;
      int unknownVisible = 0;
      List<String> violations = new ArrayList<>();
      for (Future<Outcome> future : outcomes) {
        Outcome outcome = future.get();
        acknowledgedKeys += outcome.acknowledged ? 1 : 0;
        unknownVisible += outcome.unknownVisible ? 1 : 0;
        if (outcome.violation != null) {
          violations.add(outcome.violation);
        }
      }
      return new Verification(records.size(), acknowledgedKeys, unknownVisible, violations);
    } catch (ExecutionException e) {
      throw new AssertionError("a read failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private record Outcome(boolean acknowledged, boolean unknownVisible, String violation) {}

  private static Outcome check(KeyRecord record, Reader reader) {
    Optional<ByteString> actual = reader.read(record.key);
    boolean acknowledged = record.lastAcknowledged != null;
    boolean unknownVisible = record.unknownOutcome != null && actual.isPresent() && actual.get().equals(record.unknownOutcome);
    boolean ok = unknownVisible
        || (acknowledged ? actual.isPresent() && actual.get().equals(record.lastAcknowledged) : actual.isEmpty());
    String violation = ok ? null : record.key.toStringUtf8() + ": read " + actual.map(AcknowledgedWriteLoad::version).orElse("nothing")
        + ", last acknowledged " + (acknowledged ? version(record.lastAcknowledged) : "none")
        + ", unknown outcome " + (record.unknownOutcome == null ? "none" : version(record.unknownOutcome));
    return new Outcome(acknowledged, unknownVisible, violation);
  }

  /** {@code <key>#v<n>} of a value written by this load (the key it was written to, its version). */
  private static String version(ByteString value) {
    String text = value.toStringUtf8();
    int start = text.indexOf("#v");
    int end = start < 0 ? -1 : text.indexOf('#', start + 2);
    return end < 0 ? "a foreign value of " + value.size() + " bytes" : text.substring(0, end);
  }
}
