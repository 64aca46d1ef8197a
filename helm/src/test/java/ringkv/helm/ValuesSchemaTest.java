package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad values fail at render time with a message naming the value, before anything reaches a cluster. */
class ValuesSchemaTest {
  private static void assertRejected(Map<String, Object> set, String... messageParts) {
    assertThatThrownBy(() -> Charts.template(t -> {
      set.forEach(t::set);
      return t;
    })).isInstanceOf(IllegalStateException.class).hasMessageContainingAll(messageParts);
  }

  @Test
  void zeroNodes_isRejectedBySchema() {
    assertRejected(Map.of("nodes", 0), "schema", "'/nodes': minimum: got 0, want 1");
  }

  @Test
  void replicationAboveNodes_isRejectedBySchema() {
    assertRejected(Map.of("nodes", 3, "replication", 5), "schema", "'/nodes': minimum: got 3, want 5");
    // the default replication is 3
    assertRejected(Map.of("nodes", 2), "schema", "'/nodes': minimum: got 2, want 3");
  }

  @Test
  void evenReplication_isRejectedBySchema() {
    assertRejected(Map.of("nodes", 4, "replication", 2), "schema", "'/replication': value must be one of 1, 3, 5");
    assertRejected(Map.of("nodes", 4, "replication", 4), "schema", "'/replication'");
  }

  @Test
  void otherBadValues_areRejected() {
    assertRejected(Map.of("shards", 0), "'/shards'");
    assertRejected(Map.of("partitions", 70000), "'/partitions'");
    assertRejected(Map.of("shards", 8, "partitions", 4), "partitions (4) must be at least shards (8)");
    assertRejected(Map.of("antiAffinity", "sometimes"), "'/antiAffinity'");
    assertRejected(Map.of("clusterId", "no spaces"), "'/clusterId'");
    assertRejected(Map.of("persistence.size", "lots"), "'/persistence/size'");
    assertRejected(Map.of("ports.api", 7000), "must differ");
    assertRejected(Map.of("tls.enabled", true), "does not support TLS yet");
    // kvctl node drain refuses timeouts above 10m, and needs 10 s past it for its report
    assertRejected(Map.of("drain.timeoutSeconds", 601), "'/drain/timeoutSeconds'");
    assertRejected(Map.of("drain.terminationExtraSeconds", 5), "'/drain/terminationExtraSeconds'");
    assertRejected(Map.of("reshardHook.activeDeadlineSeconds", 10), "'/reshardHook/activeDeadlineSeconds'");
    assertRejected(Map.of("reshardHook.waitTimeoutSeconds", 0), "'/reshardHook/waitTimeoutSeconds'");
  }

  @Test
  void misspeltValue_isRejectedNotIgnored() {
    assertRejected(Map.of("node", 5), "additional properties 'node' not allowed");
    assertRejected(Map.of("persistence.storageclass", "ssd"), "'/persistence'", "'storageclass'");
    assertRejected(Map.of("metrics.serviceMonitor.enable", true), "'enable'");
    assertRejected(Map.of("reshardHook.enable", false), "'/reshardHook'", "'enable'");
  }

  @Test
  void goodEdgeValues_areAccepted() {
    assertThatCode(() -> Charts.template(t -> t.set("nodes", 1).set("replication", 1).set("shards", 1).set("partitions", 1)))
        .doesNotThrowAnyException();
    assertThatCode(() -> Charts.template(t -> t.set("nodes", 5).set("replication", 5).set("partitions", 65536)))
        .doesNotThrowAnyException();
  }
}
