package ringkv.chaos.workload;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import ringkv.chaos.history.Event;
import ringkv.chaos.history.HistoryWriter;
import ringkv.client.CasResult;
import ringkv.client.GetResult;
import ringkv.client.KvClient;
import ringkv.client.KvException;

/**
 * The chaos workload: concurrent clients doing get / put / compare-and-set / delete on a small
 * set of hot keys through the real {@code kv-client} (its retries on), every operation recorded
 * as invoke + ok / fail / info in a {@link HistoryWriter}.
 *
 * <p>Outcomes: a read that fails is a {@code fail} (a read changes nothing); a write that fails
 * is a {@code fail} only when the client says it cannot have been applied
 * ({@link KvException#mayHaveBeenApplied()} false), otherwise {@code info}: it may have happened.
 * A worker whose operation ended in {@code info} continues as a new process, as in Jepsen, so
 * that every process runs one operation at a time even for checkers that keep info operations
 * open forever.
 *
 * <p>Values are unique ({@code w<worker>-<n>}), so a read tells which write it saw. A cas
 * expects the value its worker last saw for the key, so that many of them succeed.
 */
public final class RegisterWorkload implements AutoCloseable {
  /** Operation mix out of 100: gets, puts, cas (the rest are deletes). */
  private static final int GETS = 40;
  private static final int PUTS = 25;
  private static final int CASES = 25;
  /** Process numbers of the final reads, above any worker's. */
  public static final int FINAL_READ_PROCESS = 1_000_000;

  /**
   * @param workers concurrent clients, each with its own {@link KvClient}
   * @param keys how many hot keys (spread over the shards by their hashes)
   * @param keyPrefix so that scenarios run one after another on one cluster do not share keys
   * @param seed the workers' choices (key, operation); each worker has its own stream
   */
  public record Settings(int workers, int keys, String keyPrefix, long seed) {
    public Settings {
      if (workers < 1 || keys < 1) {
        throw new IllegalArgumentException("workers and keys must be >= 1, got " + workers + " and " + keys);
      }
    }

    public List<String> keyNames() {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        names.add(keyPrefix + "k" + i);
      }
      return names;
    }
  }

  private final Settings settings;
  private final HistoryWriter history;
  private final Supplier<KvClient> clients;
  private final List<String> keys;
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<KvClient> opened = new ArrayList<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<Throwable> died = new java.util.concurrent.atomic.AtomicReference<>();

  public RegisterWorkload(Settings settings, HistoryWriter history, Supplier<KvClient> clients) {
    this.settings = settings;
    this.history = history;
    this.clients = clients;
    this.keys = settings.keyNames();
  }

  public List<String> keys() {
    return keys;
  }

  /** Starts the workers; they run until {@link #stop()}. */
  public synchronized void start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("workload already running");
    }
    for (int w = 0; w < settings.workers(); w++) {
      KvClient client = clients.get();
      opened.add(client);
      int worker = w;
      Thread thread = new Thread(() -> {
        try {
          runWorker(worker, client);
        } catch (RuntimeException | Error e) {
          // a worker that dies would silently thin the workload; the run must not pass on it
          died.compareAndSet(null, e);
        }
      }, "chaos-worker-" + w);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /**
   * Stops the workers after their current operation (each ends within the client's call
   * deadline); fails if a worker died on the way.
   */
  public synchronized void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    threads.clear();
    Throwable error = died.get();
    if (error != null) {
      throw new IllegalStateException("a workload worker died: " + error, error);
    }
  }

  /** ok, fail and info completions so far. */
  public long[] counts() {
    return new long[] {ok.get(), failed.get(), unknown.get()};
  }

  private void runWorker(int worker, KvClient client) {
    Random random = new Random(settings.seed() * 31 + worker);
    int process = worker;
    long n = 0;
    while (running.get()) {
      String key = keys.get(random.nextInt(keys.size()));
      int dice = random.nextInt(100);
      String value = "w" + worker + "-" + n++;
      // read once: another worker's delete may clear the entry between two reads
      String expected = lastSeen.get(key);
      boolean definite;
      if (dice < GETS) {
        definite = get(client, process, key);
      } else if (dice < GETS + PUTS || expected == null) {
        definite = write(history.invokePut(process, key, value), () -> {
          client.put(bytes(key), bytes(value));
          lastSeen.put(key, value);
        });
      } else if (dice < GETS + PUTS + CASES) {
        definite = cas(client, process, key, expected, value);
      } else {
        definite = write(history.invokeDelete(process, key), () -> {
          client.delete(bytes(key));
          lastSeen.remove(key);
        });
      }
      if (!definite) {
        // the outcome is unknown: this process's operation stays open; go on as a new process
        process += settings.workers();
      }
    }
  }

  private boolean get(KvClient client, int process, String key) {
    Event invoke = history.invokeGet(process, key);
    try {
      GetResult result = client.get(bytes(key));
      String read = result.found() ? result.kv().value().toStringUtf8() : null;
      if (read != null) {
        lastSeen.put(key, read);
      }
      history.okGet(invoke, read);
      ok.incrementAndGet();
    } catch (RuntimeException e) {
      history.fail(invoke, error(e));
      failed.incrementAndGet();
    }
    return true;
  }

  private boolean cas(KvClient client, int process, String key, String expected, String value) {
    Event invoke = history.invokeCas(process, key, expected, value);
    try {
      CasResult result = client.compareAndSet(bytes(key), bytes(expected), bytes(value));
      if (result.succeeded()) {
        lastSeen.put(key, value);
      } else if (result.current() != null) {
        lastSeen.put(key, result.current().value().toStringUtf8());
      }
      history.okCas(invoke, result.succeeded());
      ok.incrementAndGet();
      return true;
    } catch (RuntimeException e) {
      return failedWrite(invoke, e);
    }
  }

  /** Runs a put or delete whose success completes {@code invoke} as a plain ok. */
  private boolean write(Event invoke, Runnable call) {
    try {
      call.run();
      history.ok(invoke);
      ok.incrementAndGet();
      return true;
    } catch (RuntimeException e) {
      return failedWrite(invoke, e);
    }
  }

  private boolean failedWrite(Event invoke, RuntimeException e) {
    if (e instanceof KvException kv && !kv.mayHaveBeenApplied()) {
      history.fail(invoke, error(e));
      failed.incrementAndGet();
      return true;
    }
    history.info(invoke, error(e));
    unknown.incrementAndGet();
    return false;
  }

  /**
   * Reads every key once more after the faults are healed, retrying until each read succeeds or
   * {@code within} passes; recorded like any operation, so the checker sees whether the last
   * acknowledged writes survived.
   */
  public void finalReads(KvClient client, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    int process = FINAL_READ_PROCESS;
    for (String key : keys) {
      while (true) {
        Event invoke = history.invokeGet(process, key);
        try {
          GetResult result = client.get(bytes(key));
          history.okGet(invoke, result.found() ? result.kv().value().toStringUtf8() : null);
          break;
        } catch (RuntimeException e) {
          history.fail(invoke, error(e));
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("final read of " + key + " still failing after " + within + ": " + e.getMessage(), e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private static Map<String, String> error(RuntimeException e) {
    String code = e instanceof KvException kv ? kv.code() + "/" + kv.reason() : e.getClass().getSimpleName();
    String message = String.valueOf(e.getMessage());
    return Map.of("error", code, "message", message.length() > 200 ? message.substring(0, 200) : message);
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    opened.forEach(KvClient::close);
    opened.clear();
  }
}
