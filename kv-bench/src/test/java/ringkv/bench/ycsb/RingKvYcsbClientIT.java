package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import ringkv.server.testing.MiniCluster;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * YCSB's own workload code (load, then workloads A-F from bench/ycsb/workloads) through the
 * RingKV binding against three in-JVM nodes with three shards, and YCSB's command-line client
 * in a child JVM. Checks that every operation succeeds and the data is what YCSB wrote; no timing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RingKvYcsbClientIT {
  private static final int RECORDS = 300;
  private static final int THREADS = 4;

  private static MiniCluster cluster;
  private static String endpoints;

  @BeforeAll
  static void startCluster() {
    cluster = MiniCluster.builder().nodes(3).shards(3).start();
    endpoints = String.join(",", cluster.apiEndpoints());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Properties workload(String name) throws IOException {
    return YcsbHarness.workload(name, Map.of("recordcount", String.valueOf(RECORDS), "operationcount", "400",
        RingKvYcsbSettings.ENDPOINTS, endpoints));
  }

  @Test
  @Order(1)
  void load_insertsEveryRecordAndReleasesTheSharedClient() throws Exception {
    YcsbHarness.Outcome load = YcsbHarness.run(RingKvYcsbClient::new, workload("workloada"), false, THREADS);

    assertThat(load.statuses()).containsExactly(Map.entry("INSERT OK", (long) RECORDS));
    assertThat(load.opsDone()).isEqualTo(RECORDS);
    assertThat(RingKvYcsbClient.users(RingKvYcsbSettings.from(workload("workloada")))).isZero();
  }

  @Test
  @Order(2)
  void workloadsAtoF_everyOperationSucceeds() throws Exception {
    for (String name : List.of("workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf")) {
      YcsbHarness.Outcome run = YcsbHarness.run(RingKvYcsbClient::new, workload(name), true, THREADS);

      assertThat(run.opsDone()).as(name).isEqualTo(400);
      assertThat(run.failures()).as(name).isEmpty();
    }
  }

  @Test
  @Order(3)
  void loadedRecord_hasTenFieldsOfAHundredBytes() throws Exception {
    DB db = binding();
    try {
      Map<String, ByteIterator> record = new HashMap<>();
      // CoreWorkload's key for record 0 with the default hashed insert order (buildKeyName)
      String key = "user" + site.ycsb.Utils.hash(0);

      assertThat(db.read("usertable", key, null, record)).isEqualTo(Status.OK);

      assertThat(record).hasSize(10).containsKeys("field0", "field9");
      record.values().forEach(v -> assertThat(v.toArray()).hasSize(100));
    } finally {
      db.cleanup();
    }
  }

  @Test
  @Order(4)
  void update_mergesIntoTheStoredRecord_andScanReadsInKeyOrder() throws Exception {
    DB db = binding();
    try {
      for (int i = 0; i < 5; i++) {
        db.insert("scantable", "k" + i, StringByteIterator.getByteIteratorMap(Map.of("a", "a" + i, "b", "b" + i)));
      }

      assertThat(db.update("scantable", "k2", StringByteIterator.getByteIteratorMap(Map.of("b", "B", "c", "C"))))
          .isEqualTo(Status.OK);

      Map<String, ByteIterator> record = new HashMap<>();
      assertThat(db.read("scantable", "k2", null, record)).isEqualTo(Status.OK);
      assertThat(StringByteIterator.getStringMap(record)).isEqualTo(Map.of("a", "a2", "b", "B", "c", "C"));
      Vector<HashMap<String, ByteIterator>> rows = new Vector<>();
      assertThat(db.scan("scantable", "k1", 3, Set.of("a"), rows)).isEqualTo(Status.OK);
      assertThat(rows).extracting(StringByteIterator::getStringMap)
          .containsExactly(Map.of("a", "a1"), Map.of("a", "a2"), Map.of("a", "a3"));
      assertThat(db.delete("scantable", "k2")).isEqualTo(Status.OK);
      assertThat(db.read("scantable", "k2", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    } finally {
      db.cleanup();
    }
  }

  @Test
  @Order(5)
  void ycsbCommandLine_loadsAndRunsThroughTheBinding() throws Exception {
    String workload = YcsbHarness.workloadFile("workloadc").toString();
    List<String> common = List.of("-db", RingKvYcsbClient.class.getName(), "-P", workload, "-threads", "2",
        "-p", "recordcount=50", "-p", "operationcount=100", "-p", "table=clitable",
        "-p", RingKvYcsbSettings.ENDPOINTS + "=" + endpoints);

    String load = ycsb("-load", common);
    String run = ycsb("-t", common);

    assertThat(load).contains("[INSERT], Return=OK, 50").doesNotContain("FAILED");
    assertThat(run).contains("[READ], Return=OK, 100").doesNotContain("FAILED");
  }

  private static DB binding() throws Exception {
    DB db = new RingKvYcsbClient();
    db.setProperties(workload("workloada"));
    db.init();
    return db;
  }

  /** Runs site.ycsb.Client in a child JVM on this test's class path; returns its standard output. */
  private static String ycsb(String phase, List<String> args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "site.ycsb.Client", phase));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("YCSB finished").isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
