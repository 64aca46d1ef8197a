package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.WriteLimitReached;
import ringkv.client.KvClient;
import ringkv.client.KvOverloadedException;
import ringkv.router.ShardId;
import ringkv.server.config.RequestLimits;
import ringkv.server.routing.ShardResolver;
import ringkv.server.testing.MiniCluster;

/**
 * One node of three at a write limit that the others are far from: every shard has a replica on
 * it, and the shards the other two nodes lead must refuse what it would refuse
 * ({@link ReplicaWriteLimits}), naming it, instead of appending until it runs out of heap or disk.
 */
class ReplicaWriteLimitsIT {
  private static final int SMALL = 2;
  private static final String SMALL_ID = "n3";
  private static final long SMALL_MEMORY = 256L << 10;
  private static final ByteString VALUE = ByteString.copyFrom(new byte[1000]);
  private static final RequestLimits ROOMY = RequestLimits.DEFAULTS.withMinFreeDiskBytes(16L << 20);

  @Test
  void aFollowerAtMaxDataMemory_makesEveryShardRefuseWritesThatAddData_untilDeletesFreeIt() throws Exception {
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(3).replication(3).limits(ROOMY)
        .limits(SMALL, ROOMY.withMaxDataMemoryBytes(SMALL_MEMORY)).start()) {
      Shards shards = new Shards(cluster);
      KvClient client = cluster.newClient();

      // n3 holds a replica of every shard, so it reaches 256 KiB after about 220 keys of 1 KB; the
      // others' limits are far away. Without the leaders' poll, the shards n1 and n2 lead would
      // take all 3,000 keys.
      List<ByteString> written = new ArrayList<>();
      Map<ShardId, KvOverloadedException> refused = new HashMap<>();
      while (refused.size() < 3 && written.size() < 3_000) {
        for (ShardId shard : shards.all()) {
          if (refused.containsKey(shard)) {
            continue;
          }
          ByteString key = shards.newKeyOf(shard);
          try {
            client.put(key, VALUE);
            written.add(key);
          } catch (KvOverloadedException e) {
            refused.put(shard, e);
          }
        }
      }
      assertThat(refused).as("every shard refused a put before 3,000 keys; %d were written", written.size()).hasSize(3);
      assertThat(refused.values()).allSatisfy(e -> assertThat(e.reason()).isEqualTo(ErrorReason.MEMORY_FULL));

      // a shard led by another node names n3 as the replica at its limit
      KvOverloadedException e = awaitRefusalNamingTheSmallNode(client, shards);
      assertThat(e.reason()).isEqualTo(ErrorReason.MEMORY_FULL);
      assertThat(e.getMessage()).contains("node " + SMALL_ID + ", a replica of this shard").contains("max-data-memory");
      assertThat(limitsReached(cluster, SMALL)).extracting(WriteLimitReached::getReason).containsExactly(ErrorReason.MEMORY_FULL);
      assertThat(limitsReached(cluster, 0)).isEmpty();
      // reads go on
      assertThat(client.get(written.get(0)).kv().value()).isEqualTo(VALUE);

      // deletes are admitted; once n3 is under its limit, every shard takes puts again
      for (ByteString key : written) {
        client.delete(key);
      }
      MiniCluster.await("every shard takes puts again", Duration.ofSeconds(30), () -> shards.all().stream().allMatch(shard -> {
        try {
          client.put(shards.newKeyOf(shard), ByteString.copyFromUtf8("after"));
          return true;
        } catch (KvOverloadedException refusedAgain) {
          return false;
        }
      }));
    }
  }

  @Test
  void aFollowerWithAFullDisk_makesEveryShardRefuseWrites() throws Exception {
    // a reserve larger than any disk: n3's disk counts as full from the start
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(3).replication(3).limits(ROOMY)
        .limits(SMALL, ROOMY.withMinFreeDiskBytes(Long.MAX_VALUE / 4)).start()) {
      Shards shards = new Shards(cluster);
      KvClient client = cluster.newClient();
      KvOverloadedException refused = awaitRefusalNamingTheSmallNode(client, shards);
      assertThat(refused.reason()).isEqualTo(ErrorReason.DISK_FULL);
      assertThat(refused.getMessage()).contains("min-free-disk");
      assertThat(limitsReached(cluster, SMALL)).extracting(WriteLimitReached::getReason).containsExactly(ErrorReason.DISK_FULL);
    }
  }

  /**
   * Puts to every shard until one is refused by a leader other than n3 on n3's behalf. Which node
   * leads which shard may still change after the start (Ratis hands leadership to the preferred
   * replica), and a leader polls its replicas only once it leads: so wait, rather than pick a shard.
   */
  private static KvOverloadedException awaitRefusalNamingTheSmallNode(KvClient client, Shards shards) {
    KvOverloadedException[] named = new KvOverloadedException[1];
    MiniCluster.await("a put refused on behalf of " + SMALL_ID, Duration.ofSeconds(30), () -> {
      for (ShardId shard : shards.all()) {
        try {
          client.put(shards.newKeyOf(shard), VALUE);
        } catch (KvOverloadedException e) {
          if (e.getMessage().contains("node " + SMALL_ID + ", a replica of this shard, refuses it")) {
            named[0] = e;
            return true;
          }
        }
      }
      return false;
    });
    return named[0];
  }

  private static List<WriteLimitReached> limitsReached(MiniCluster cluster, int node) {
    ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(node), InsecureChannelCredentials.create()).build();
    try {
      return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getNodeStatus(GetNodeStatusRequest.getDefaultInstance()).getLimitsReachedList();
    } finally {
      channel.shutdownNow();
    }
  }

  /** The cluster's shards, and fresh keys of each (by the nodes' own routing). */
  private static final class Shards {
    private final ShardResolver router;
    private int nextKey;

    Shards(MiniCluster cluster) {
      this.router = new ShardResolver(cluster.node(0).groups().view());
    }

    List<ShardId> all() {
      return List.of(ShardId.of(0), ShardId.of(1), ShardId.of(2));
    }

    ByteString newKeyOf(ShardId shard) {
      while (true) {
        ByteString key = ByteString.copyFromUtf8("limit-" + nextKey++);
        if (router.resolve(key, 0).shard().equals(shard)) {
          return key;
        }
      }
    }
  }
}
