package ringkv.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's scripts as a user runs them: real kv-server processes started through
 * {@code bin/}, driven with {@code bin/kvctl}.
 */
class ScriptsIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void ringkvLocal_startsAHealthyClusterThatKvctlUses_andStopsIt() throws Exception {
    try (Processes processes = new Processes(dir)) {
      Path data = dir.resolve("local");
      var started = processes.run(START, "ringkv-local", "--detach", "--data-dir", data.toString()).assertOk();
      try {
        assertThat(started.stdout()).contains("RingKV is up: 3 nodes, 3 shards x 3 replicas", "127.0.0.1:8001");
        processes.run(COMMAND, "kvctl", "put", "greeting", "hello").assertOk();
        assertThat(processes.run(COMMAND, "kvctl", "get", "greeting").assertOk().stdout()).isEqualTo("hello");
        scanAndBatchRoundTrip(processes);
        assertThat(processes.run(COMMAND, "kvctl", "health").assertOk().stdout()).contains("127.0.0.1:8003 SERVING");
        assertThat(processes.run(COMMAND, "ringkv-local", "status", "--data-dir", data.toString()).exitCode()).isZero();
      } finally {
        processes.run(COMMAND, "ringkv-local", "stop", "--data-dir", data.toString()).assertOk();
      }
      assertThat(processes.run(COMMAND, "ringkv-local", "status", "--data-dir", data.toString()).exitCode()).isNotZero();
    }
  }

  @Test
  void bootstrapOneNode_joinTwo_writeAndReadThroughKvctl_andBadJoinsAreRefused() throws Exception {
    try (Processes processes = new Processes(dir)) {
      int[] raft = {Processes.freePort(), Processes.freePort(), Processes.freePort()};
      int[] api = {Processes.freePort(), Processes.freePort(), Processes.freePort()};
      String seed = "127.0.0.1:" + api[0];
      processes.start("n1", "kv-server", "--node-id", "n1", "--cluster-id", "it", "--data-dir", dir.resolve("n1").toString(),
          "--raft-port", String.valueOf(raft[0]), "--api-port", String.valueOf(api[0]),
          "--bootstrap", "--shards", "3", "--replication", "3");
      for (int i = 1; i < 3; i++) {
        String id = "n" + (i + 1);
        processes.start(id, "kv-server", "--node-id", id, "--cluster-id", "it", "--data-dir", dir.resolve(id).toString(),
            "--raft-port", String.valueOf(raft[i]), "--api-port", String.valueOf(api[i]), "--join", seed);
      }
      String endpoints = seed + ",127.0.0.1:" + api[1] + ",127.0.0.1:" + api[2];
      Processes.await("all three nodes SERVING", START, () ->
          processes.run(COMMAND, "kvctl", "--endpoints", endpoints, "--timeout", "5s", "health").exitCode() == 0);

      processes.run(COMMAND, "kvctl", "--endpoints", endpoints, "put", "city", "Lisbon").assertOk();
      for (int i = 0; i < 3; i++) {
        var got = processes.run(COMMAND, "kvctl", "--endpoints", "127.0.0.1:" + api[i], "get", "city").assertOk();
        assertThat(got.stdout()).isEqualTo("Lisbon");
      }

      var wrongCluster = processes.run(START, "kv-server", "--node-id", "n4", "--cluster-id", "elsewhere",
          "--data-dir", dir.resolve("n4").toString(), "--raft-port", String.valueOf(Processes.freePort()),
          "--api-port", String.valueOf(Processes.freePort()), "--join", seed);
      assertThat(wrongCluster.exitCode()).isEqualTo(2);
      assertOneLineReason(wrongCluster.stderr(), "kv-server: error: join refused", "'it'", "'elsewhere'");

      var duplicate = processes.run(START, "kv-server", "--node-id", "n2", "--cluster-id", "it",
          "--data-dir", dir.resolve("n2-again").toString(), "--raft-port", String.valueOf(Processes.freePort()),
          "--api-port", String.valueOf(Processes.freePort()), "--join", seed);
      assertThat(duplicate.exitCode()).isEqualTo(2);
      assertOneLineReason(duplicate.stderr(), "kv-server: error: join refused", "node id 'n2' is already taken");

      var zeroShards = processes.run(START, "kv-server", "--bootstrap", "--shards", "0", "--data-dir", dir.resolve("zero").toString(),
          "--raft-port", String.valueOf(Processes.freePort()), "--api-port", String.valueOf(Processes.freePort()));
      assertThat(zeroShards.exitCode()).isEqualTo(2);
      assertThat(zeroShards.stderr().strip()).isEqualTo("kv-server: error: --shards must be >= 1, got 0");

      // the cluster is unchanged: still three nodes serving the data
      assertThat(processes.run(COMMAND, "kvctl", "--endpoints", endpoints, "get", "city").assertOk().stdout()).isEqualTo("Lisbon");
      assertThat(processes.run(COMMAND, "kvctl", "--endpoints", endpoints, "health").assertOk().stdout().lines()).hasSize(3);
    }
  }

  /** Keys spread over the shards: a batch, scans merged across them (paged, reversed), a prefix delete. */
  private static void scanAndBatchRoundTrip(Processes processes) throws Exception {
    var batch = processes.run(COMMAND, "kvctl", "batch", "put", "it/a=1", "it/b=2", "it/c=3").assertOk();
    assertThat(batch.stdout().lines().skip(1)).hasSize(3).allMatch(l -> l.matches("it/[abc] +OK +\\d+ +\\d+"));
    assertThat(processes.run(COMMAND, "kvctl", "prefix", "it/").assertOk().stdout()).isEqualTo("it/a\t1\nit/b\t2\nit/c\t3\n");
    var paged = processes.run(COMMAND, "kvctl", "scan", "it/b", "--reverse", "--page-size", "1").assertOk();
    assertThat(paged.stdout()).isEqualTo("it/c\t3\nit/b\t2\n");
    var cut = processes.run(COMMAND, "kvctl", "scan", "it/", "it/z", "--limit", "2", "--keys-only").assertOk();
    assertThat(cut.stdout()).isEqualTo("it/a\nit/b\n");
    assertThat(cut.stderr()).contains("kvctl: stopped after 2 keys; more follow");
    assertThat(processes.run(COMMAND, "kvctl", "del-prefix", "").exitCode()).isEqualTo(2);
    assertThat(processes.run(COMMAND, "kvctl", "del-prefix", "it/").assertOk().stdout()).isEqualTo("deleted 3 keys\n");
    assertThat(processes.run(COMMAND, "kvctl", "prefix", "it/").assertOk().stdout()).isEmpty();
  }

  /** The reason is the last line, and nothing before it is a stack trace. */
  private static void assertOneLineReason(String stderr, String prefix, String... parts) {
    var lines = stderr.strip().lines().toList();
    assertThat(lines.get(lines.size() - 1)).startsWith(prefix).contains(parts);
    assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
  }
}
