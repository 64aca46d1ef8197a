package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import ringkv.api.v1.Consistency;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.KVGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ringkv.client.CasResult;
import ringkv.client.KvClient;
import ringkv.client.PutResult;
import ringkv.server.testing.MiniCluster;

/**
 * Group commit on a real cluster: concurrent writes share log entries, and each write still gets
 * its own, correct answer and its own revision (an entry's commands are applied one by one).
 */
class GroupCommitIT {
  private static final int WRITES = 400;
  private static MiniCluster cluster;
  private static KvClient client;

  @BeforeAll
  static void start() {
    // one shard, so every write below meets the others in the same queue; 4 nodes, so one holds
    // no replica of it
    cluster = MiniCluster.builder().nodes(4).shards(1).replication(3).partitions(64).start();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void concurrentPuts_arePackedIntoSharedEntries_andEveryOneIsAnsweredAndReadable() throws Exception {
    List<CompletableFuture<PutResult>> puts = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      puts.add(client.async().put(bytes("gc-" + i), bytes("value-" + i)));
    }
    Set<Long> revisions = new HashSet<>();
    for (CompletableFuture<PutResult> put : puts) {
      revisions.add(put.get(60, TimeUnit.SECONDS).meta().revision());
    }
    for (int i = 0; i < WRITES; i++) {
      assertThat(client.get(bytes("gc-" + i)).kv().value().toStringUtf8()).isEqualTo("value-" + i);
    }
    // every write has a revision of its own, also when it shared a log entry with others
    assertThat(revisions).hasSize(WRITES);
    int leader = cluster.awaitLeader(MiniCluster.FIRST_SHARD);
    DistributionSummary entries = cluster.node(leader).metrics().registry().get("ringkv_server_entry_commands").summary();
    assertThat(entries.max()).as("most commands in one entry").isGreaterThan(1);
    assertThat(entries.totalAmount()).as("commands proposed by the leader").isGreaterThanOrEqualTo(WRITES);
    cluster.awaitReplicasConverged(MiniCluster.FIRST_SHARD);
  }

  @Test
  void concurrentPutIfAbsentOnOneKey_exactlyOneWins_evenWhenTheyShareAnEntry() throws Exception {
    List<CompletableFuture<CasResult>> attempts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      attempts.add(client.async().putIfAbsent(bytes("only-once"), bytes("winner-" + i)));
    }
    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < attempts.size(); i++) {
      if (attempts.get(i).get(60, TimeUnit.SECONDS).succeeded()) {
        winners.add(i);
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(client.get(bytes("only-once")).kv().value().toStringUtf8()).isEqualTo("winner-" + winners.get(0));
  }

  @Test
  void concurrentPutsOfOneKey_eachGetARevisionOfTheirOwn_theLastOneIsWhatIsStored() throws Exception {
    List<CompletableFuture<PutResult>> puts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      puts.add(client.async().put(bytes("hot"), bytes("v" + i)));
    }
    List<Long> revisions = new ArrayList<>();
    for (CompletableFuture<PutResult> put : puts) {
      revisions.add(put.get(60, TimeUnit.SECONDS).revision());
    }
    // writes of one key share entries, yet a compare on mod_revision still names exactly one write
    assertThat(revisions).doesNotHaveDuplicates();
    var stored = client.get(bytes("hot")).kv();
    assertThat(stored.modRevision()).isEqualTo(revisions.stream().mapToLong(Long::longValue).max().orElseThrow());
    assertThat(stored.value().toStringUtf8()).isEqualTo("v" + revisions.indexOf(stored.modRevision()));
  }

  @Test
  void readYourWritesOnANodeWithoutAReplica_waitsForTheRevision_notForALogIndex() throws Exception {
    List<CompletableFuture<PutResult>> puts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      puts.add(client.async().put(bytes("ryw-" + i), bytes("v" + i)));
    }
    long last = 0;
    for (CompletableFuture<PutResult> put : puts) {
      last = Math.max(last, put.get(60, TimeUnit.SECONDS).revision());
    }
    // packed writes make the revision run ahead of the log index: a wait on the log index for it
    // would time out
    int outsider = IntStream.range(0, cluster.size())
        .filter(i -> !cluster.replicaNodes(MiniCluster.FIRST_SHARD).contains(i)).findFirst().orElseThrow();
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(outsider), InsecureChannelCredentials.create()).build();
    try {
      GetResponse got = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder()
          .setKey(bytes("ryw-299")).setConsistency(Consistency.SERIALIZABLE).setMinRevision(last).build());
      assertThat(got.getKv().getValue().toStringUtf8()).isEqualTo("v299");
      assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(last);
    } finally {
      channel.shutdownNow();
    }
  }
}
