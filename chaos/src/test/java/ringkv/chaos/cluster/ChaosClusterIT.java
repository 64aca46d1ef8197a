package ringkv.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.client.KvClient;
import ringkv.client.KvException;

/**
 * The chaos cluster's plumbing: clients and nodes really talk through the proxies, so that a
 * proxy fault is a fault the cluster sees.
 */
class ChaosClusterIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path root;
  static ChaosCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ChaosCluster.builder(root).shape(b -> b.nodes(3).shards(1)).start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void links_everyPairAndClients_haveAProxy() {
    // 3 nodes: 6 node-to-node pairs x (raft + api) + 3 client links
    assertThat(cluster.network().links()).hasSize(15);
    assertThat(cluster.proxiedEndpoints()).containsExactly(
        "n1.chaos:" + cluster.node(0).apiPort(), "n2.chaos:" + cluster.node(1).apiPort(), "n3.chaos:" + cluster.node(2).apiPort());
  }

  @Test
  void clientLinksCut_clientFails_thenServesAfterHeal() throws Exception {
    try (KvClient client = KvClient.connect(cluster.clientConfig().callTimeout(Duration.ofSeconds(3)).build())) {
      client.put(bs("plumbing"), bs("before"));
      cluster.network().cutClients();
      assertThatThrownBy(() -> client.put(bs("plumbing"), bs("during"))).isInstanceOf(KvException.class);
      cluster.network().heal();
      // the client's channels may sit in gRPC's reconnect backoff for a few seconds after the
      // heal: wait (on the condition, 3 s per call) until a put goes through again
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          client.put(bs("plumbing"), bs("after"));
          break;
        } catch (KvException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
      assertThat(client.get(bs("plumbing")).kv().value().toStringUtf8()).isEqualTo("after");
    }
  }

  @Test
  void leaderIsolated_anotherNodeLeads_andReplicasConvergeAfterHeal() throws Exception {
    cluster.awaitReady(Duration.ofMinutes(1));
    int leader = cluster.leaderOf(0).orElseThrow();
    try (KvClient client = KvClient.connect(cluster.clientConfig().callTimeout(Duration.ofSeconds(30)).build())) {
      cluster.network().isolate(leader + 1, 3);
      try {
        // the majority elects a new leader and keeps taking writes
        client.put(bs("isolated"), bs("majority-write"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        OptionalInt now = cluster.leaderOf(0);
        while ((now.isEmpty() || now.getAsInt() == leader) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          now = cluster.leaderOf(0);
        }
        assertThat(now).isPresent();
        assertThat(now.getAsInt()).isNotEqualTo(leader);
      } finally {
        cluster.network().heal();
      }
      cluster.awaitReady(Duration.ofMinutes(1));
      cluster.awaitConverged(Duration.ofMinutes(1));
      assertThat(client.get(bs("isolated")).kv().value().toStringUtf8()).isEqualTo("majority-write");
    }
  }

  @Test
  void transferLeadership_shardAndMeta_moveToAnotherNode() {
    cluster.awaitReady(Duration.ofMinutes(1));
    int before = cluster.leaderOf(0).orElseThrow();
    TransferLeadershipResponse moved = cluster.transferLeadership((before + 1) % 3, 0);
    assertThat(moved.getPreviousLeaderId()).isEqualTo(cluster.node(before).nodeId());
    assertThat(moved.getLeaderId()).isNotEqualTo(moved.getPreviousLeaderId());
    int metaBefore = cluster.metaLeader().orElseThrow();
    TransferLeadershipResponse metaMoved = cluster.transferLeadership(metaBefore, -1);
    assertThat(metaMoved.getLeaderId()).isNotEqualTo(cluster.node(metaBefore).nodeId());
    cluster.awaitReady(Duration.ofMinutes(1));
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
