package ringkv.bench.ycsb;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import site.ycsb.ByteIterator;
import site.ycsb.ClientThread;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.WorkloadException;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * Runs a YCSB phase in this JVM the way {@code site.ycsb.Client} does (its {@code CoreWorkload}
 * and {@code ClientThread}s, one binding instance per thread), minus {@code Client.main}'s
 * {@code System.exit}, and counts every operation's status by name.
 */
public final class YcsbHarness {
  private YcsbHarness() {}

  /** The standard workload files shipped in bench/ycsb/workloads (tests run in the module dir). */
  public static Path workloadFile(String name) {
    Path file = Path.of("..", "bench", "ycsb", "workloads", name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no workload file " + file.toAbsolutePath());
    }
    return file;
  }

  /** A workload file's properties with {@code overrides} on top (as {@code -p} would). */
  public static Properties workload(String name, Map<String, String> overrides) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(workloadFile(name), StandardCharsets.UTF_8)) {
      props.load(in);
    }
    overrides.forEach(props::setProperty);
    return props;
  }

  /**
   * What a phase did.
   *
   * @param opsDone operations the client threads completed
   * @param statuses count per "OPERATION STATUS_NAME", e.g. {@code "UPDATE OK"}
   */
  public record Outcome(long opsDone, Map<String, Long> statuses) {
    /** The counts of every status that is not OK. */
    public Map<String, Long> failures() {
      Map<String, Long> out = new TreeMap<>();
      statuses.forEach((k, v) -> {
        if (!k.endsWith(" OK")) {
          out.put(k, v);
        }
      });
      return out;
    }
  }

  /** Loads ({@code transactions = false}) or runs the workload with {@code threads} client threads. */
  public static Outcome run(Supplier<DB> binding, Properties props, boolean transactions, int threads)
      throws WorkloadException, InterruptedException {
    Measurements.setProperties(props);
    CoreWorkload workload = new CoreWorkload();
    workload.init(props);
    int ops = Integer.parseInt(props.getProperty(transactions ? "operationcount" : "recordcount"));
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(threads);
    List<ClientThread> clients = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      DB db = new CountingDb(binding.get(), counts);
      db.setProperties(props);
      ClientThread client = new ClientThread(db, transactions, workload, props,
          ops / threads + (t < ops % threads ? 1 : 0), -1, done);
      client.setThreadId(t);
      client.setThreadCount(threads);
      clients.add(client);
      Thread thread = new Thread(client, "ycsb-client-" + t);
      running.add(thread);
      thread.start();
    }
    if (!done.await(5, TimeUnit.MINUTES)) {
      workload.requestStop();
      running.forEach(Thread::interrupt);
      throw new AssertionError("YCSB threads did not finish in 5 minutes");
    }
    for (Thread thread : running) {
      thread.join();
    }
    workload.cleanup();
    Map<String, Long> statuses = new TreeMap<>();
    counts.forEach((k, v) -> statuses.put(k, v.sum()));
    return new Outcome(clients.stream().mapToLong(ClientThread::getOpsDone).sum(), statuses);
  }

  /** Delegates to a binding and counts each operation's status. */
  private static final class CountingDb extends DB {
    private final DB db;
    private final Map<String, LongAdder> counts;

    CountingDb(DB db, Map<String, LongAdder> counts) {
      this.db = db;
      this.counts = counts;
    }

    @Override
    public void setProperties(Properties p) {
      super.setProperties(p);
      db.setProperties(p);
    }

    @Override
    public void init() throws DBException {
      db.init();
    }

    @Override
    public void cleanup() throws DBException {
      db.cleanup();
    }

    private Status count(String op, Status status) {
      counts.computeIfAbsent(op + " " + status.getName(), k -> new LongAdder()).increment();
      return status;
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
      return count("READ", db.read(table, key, fields, result));
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
        Vector<HashMap<String, ByteIterator>> result) {
      return count("SCAN", db.scan(table, startkey, recordcount, fields, result));
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
      return count("UPDATE", db.update(table, key, values));
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
      return count("INSERT", db.insert(table, key, values));
    }

    @Override
    public Status delete(String table, String key) {
      return count("DELETE", db.delete(table, key));
    }
  }
}
