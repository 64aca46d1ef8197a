package ringkv.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.bench.ycsb.YcsbHarness;
import ringkv.server.testing.MiniCluster;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * The etcd binding against a one-member etcd started from the {@code etcd} on the PATH (Debian:
 * {@code apt-get install etcd-server}); skipped when there is none. Same checks as the RingKV
 * binding's IT: YCSB's load and workloads A-F succeed, updates merge, scans read in key order.
 */
class EtcdYcsbClientIT {
  private static Process etcd;
  private static Path dataDir;
  private static String endpoint;

  @BeforeAll
  static void startEtcd() throws Exception {
    Path binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(dir -> Path.of(dir, "etcd")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(binary != null, "no etcd on the PATH (apt-get install etcd-server)");
    dataDir = Files.createTempDirectory("etcd-it");
    int client = MiniCluster.freePort();
    int peer = MiniCluster.freePort();
    endpoint = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    etcd = new ProcessBuilder(binary.toString(), "--name", "it", "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "it=" + peerUrl, "--initial-cluster-state", "new")
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
    MiniCluster.await("etcd to serve on " + endpoint, Duration.ofSeconds(60), EtcdYcsbClientIT::serves);
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.destroy();
      if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
        etcd.destroyForcibly().waitFor();
      }
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean serves() {
    try {
      DB db = binding();
      try {
        return db.read("usertable", "probe", null, new HashMap<>()) == Status.NOT_FOUND;
      } finally {
        db.cleanup();
      }
    } catch (Exception e) {
      return false;
    }
  }

  private static Properties workload(String name) throws IOException {
    return YcsbHarness.workload(name, Map.of("recordcount", "200", "operationcount", "300",
        EtcdYcsbSettings.ENDPOINTS, endpoint, EtcdYcsbSettings.DEADLINE, "5s"));
  }

  private static DB binding() throws Exception {
    DB db = new EtcdYcsbClient();
    db.setProperties(workload("workloada"));
    db.init();
    return db;
  }

  @Test
  void loadThenWorkloadsAtoF_everyOperationSucceeds() throws Exception {
    YcsbHarness.Outcome load = YcsbHarness.run(EtcdYcsbClient::new, workload("workloada"), false, 4);
    assertThat(load.statuses()).containsExactly(Map.entry("INSERT OK", 200L));

    for (String name : List.of("workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf")) {
      YcsbHarness.Outcome run = YcsbHarness.run(EtcdYcsbClient::new, workload(name), true, 4);

      assertThat(run.opsDone()).as(name).isEqualTo(300);
      assertThat(run.failures()).as(name).isEmpty();
    }
    assertThat(EtcdYcsbClient.users(EtcdYcsbSettings.from(workload("workloada")))).isZero();
  }

  @Test
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
}
