package ringkv.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.Consistency;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.chaos.check.CheckBudget;
import ringkv.chaos.check.CheckResult;
import ringkv.chaos.check.LinearizabilityChecker;
import ringkv.chaos.check.Verdict;
import ringkv.chaos.cluster.ChaosCluster;
import ringkv.chaos.cluster.LinkAddresses;
import ringkv.chaos.history.Event;
import ringkv.chaos.history.HistoryReader;
import ringkv.chaos.history.HistoryWriter;
import ringkv.client.KvClient;

/**
 * Proof that the pipeline can fail: the same recorded script against the correct build and
 * against a deliberately broken one (nodes started with the test-only switch that answers
 * "linearizable" reads from their own replica as it stands,
 * {@code -Dringkv.testing.unsafeLocalReads=true}). The script writes v1, cuts the shard leader
 * off from the other nodes, writes v2 through the majority, then reads the key at the cut-off
 * node through its client proxy. The correct build refuses that read (no quorum), and the history
 * is linearizable; the broken build answers v1, and the checker must report the stale read.
 *
 * <p>The read goes to the cut-off node on purpose: the smart client, with its attempt timeouts,
 * leaves a leader that stopped answering writes within about a second, so a random workload
 * meets the broken read only by luck (bin/ringkv-chaos --unsafe-local-reads shows that too).
 */
class BrokenBuildIT {
  private static final String KEY = "broken/k";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  @Test
  void unsafeLocalReads_readAtACutOffLeader_checkerReportsTheStaleRead() throws Exception {
    CheckResult result = runScript(List.of("-Dringkv.testing.unsafeLocalReads=true"), root.resolve("broken"));
    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.VIOLATION);
    var counterexample = result.keysWith(Verdict.VIOLATION).get(0).counterexample();
    assertThat(counterexample).isNotNull();
    assertThat(counterexample.render()).contains("v1").contains("v2");
  }

  @Test
  void correctBuild_sameScript_readRefused_historyLinearizable() throws Exception {
    CheckResult result = runScript(List.of(), root.resolve("correct"));
    assertThat(result.verdict()).as(result.render()).isEqualTo(Verdict.LINEARIZABLE);
  }

  /** Runs the script on a fresh 3-node, 1-shard cluster and checks the history it recorded. */
  private static CheckResult runScript(List<String> serverProperties, Path dir) throws Exception {
    Path file = dir.resolve("history.jsonl");
    java.nio.file.Files.createDirectories(dir);
    try (ChaosCluster cluster = ChaosCluster.builder(dir.resolve("cluster")).shape(b -> b.nodes(3).shards(1))
        .serverJvmProperties(serverProperties).start();
        HistoryWriter history = HistoryWriter.open(file, true);
        KvClient writer = KvClient.connect(cluster.clientConfig().callTimeout(Duration.ofSeconds(30)).build())) {
      put(history, writer, "v1");
      int leader = cluster.leaderOf(0).orElseThrow();
      cluster.network().isolate(leader + 1, cluster.size());
      try {
        put(history, writer, "v2"); // the majority elects a leader and takes it
        readAt(history, cluster, leader);
      } finally {
        cluster.network().heal();
      }
    }
    return new LinearizabilityChecker(CheckBudget.DEFAULT).check(HistoryReader.readOperations(file));
  }

  private static void put(HistoryWriter history, KvClient writer, String value) {
    Event invoke = history.invokePut(0, KEY, value);
    writer.put(ByteString.copyFromUtf8(KEY), ByteString.copyFromUtf8(value));
    history.ok(invoke);
  }

  /** A linearizable Get sent to node {@code index} only, through the clients' proxy to it. */
  private static void readAt(HistoryWriter history, ChaosCluster cluster, int index) {
    String endpoint = LinkAddresses.hostName(cluster.node(index).nodeId()) + ":" + cluster.node(index).apiPort();
    ManagedChannel channel = Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create()).build();
    Event invoke = history.invokeGet(1, KEY);
    try {
      GetResponse response = KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(KEY)).setConsistency(Consistency.LINEARIZABLE).build());
      history.okGet(invoke, response.getFound() ? response.getKv().getValue().toStringUtf8() : null);
    } catch (StatusRuntimeException e) {
      // a refused or timed-out read changes nothing
      history.fail(invoke, Map.of("error", e.getStatus().getCode().name()));
    } finally {
      channel.shutdownNow();
    }
  }
}
