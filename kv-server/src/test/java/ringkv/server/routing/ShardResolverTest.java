package ringkv.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardInfo;
import ringkv.router.Partitioner;
import ringkv.server.RequestFailedException;

class ShardResolverTest {
  private static final int P = 8;
  @TempDir Path dir;

  /** Two shards; partition 3 moved to shard 1 at epoch 7, everything else dates from epoch 1. */
  private static ClusterMap map() {
    ClusterMap.Builder map = ClusterMap.newBuilder().setClusterId("c").setEpoch(7).setPartitionCount(P).setReplication(1)
        .addNodes(NodeInfo.newBuilder().setId("n1").setHost("127.0.0.1").setRaftPort(7001).setApiPort(8001))
        .addShards(ShardInfo.newBuilder().setId(0).addReplicas("n1"))
        .addShards(ShardInfo.newBuilder().setId(1).addReplicas("n1"));
    for (int p = 0; p < P; p++) {
      map.addAssignment(p == 3 || p >= 6 ? 1 : 0);
      map.addPartitionEpochs(p == 3 ? 7 : 1);
    }
    return map.build();
  }

  private static ByteString keyInPartition(int partition) {
    Partitioner partitioner = new Partitioner(P);
    for (int i = 0; ; i++) {
      ByteString key = ByteString.copyFromUtf8("k" + i);
      if (partitioner.partitionOf(key) == partition) {
        return key;
      }
    }
  }

  private ShardResolver resolver() throws IOException {
    ClusterMapView view = ClusterMapView.load(dir);
    view.update(map());
    return new ShardResolver(view);
  }

  @Test
  void resolve_usesTheMapsAssignment_andAnswersWithTheCurrentEpoch() throws IOException {
    Route route = resolver().resolve(keyInPartition(3), 0);
    assertThat(route.partition()).isEqualTo(3);
    assertThat(route.shard().value()).isEqualTo(1);
    assertThat(route.epoch()).isEqualTo(7);
    assertThat(resolver().resolve(keyInPartition(2), 0).shard().value()).isEqualTo(0);
  }

  @Test
  void requestRoutedBeforeItsPartitionMoved_isAbortedAsStale() throws IOException {
    ShardResolver resolver = resolver();
    assertThatThrownBy(() -> resolver.resolve(keyInPartition(3), 5))
        .isInstanceOfSatisfying(RequestFailedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.STALE_EPOCH))
        .hasMessageContaining("moved at epoch 7").hasMessageContaining("epoch 5");
    // an old epoch is fine for a partition that did not move since
    assertThat(resolver.resolve(keyInPartition(2), 5).shard().value()).isZero();
  }

  @Test
  void beforeShardsArePlaced_requestsAreUnavailableWithTheReason() throws IOException {
    ClusterMapView view = ClusterMapView.load(dir);
    view.update(map().toBuilder().clearShards().addShards(ShardInfo.newBuilder().setId(0)).addShards(ShardInfo.newBuilder().setId(1))
        .setReplication(3).build());
    assertThatThrownBy(() -> new ShardResolver(view).resolve(keyInPartition(1), 0))
        .isInstanceOfSatisfying(RequestFailedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NODE_NOT_READY))
        .hasMessageContaining("1 of the 3 nodes");
  }

  @Test
  void viewSurvivesARestart_andIgnoresOlderMaps() throws IOException {
    ClusterMapView view = ClusterMapView.load(dir);
    view.update(map());
    assertThat(view.update(map().toBuilder().setEpoch(3).build())).isFalse();
    assertThat(ClusterMapView.load(dir).require().epoch()).isEqualTo(7);
    assertThat(Collections.singleton(ClusterMapView.load(dir).require().map())).containsExactly(map());
  }
}
