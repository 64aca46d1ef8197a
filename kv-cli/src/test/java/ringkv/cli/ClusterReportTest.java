package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.NodeInfo;

/** Edge cases of {@link ClusterStatusReport} and {@link ClusterMapReport}. */
class ClusterReportTest {
  @Test
  void status_fixture_derivedRows() {
    ClusterStatusReport report = ClusterStatusReport.of(ClusterFixtures.status());
    assertThat(report.metaLeader()).isEqualTo("n1");
    assertThat(report.nodes())
        .containsExactly(
            new ClusterStatusReport.Node(
                "n1",
                "127.0.0.1:7001",
                "127.0.0.1:8001",
                true,
                null,
                List.of("meta", "shard-0", "shard-2"),
                List.of("meta")),
            new ClusterStatusReport.Node(
                "n2",
                "127.0.0.1:7002",
                "127.0.0.1:8002",
                true,
                null,
                List.of("meta", "shard-0", "shard-1"),
                List.of("shard-0", "shard-1")),
            new ClusterStatusReport.Node(
                "n3",
                "127.0.0.1:7003",
                "127.0.0.1:8003",
                false,
                ClusterFixtures.DOWN_ERROR,
                List.of(),
                List.of()));
    assertThat(report.shards())
        .containsExactly(
            new ClusterStatusReport.Shard(0, List.of("n1", "n2"), "n2", 5, 18L, 121L, null),
            new ClusterStatusReport.Shard(1, List.of("n2", "n3"), "n2", 4, 5L, 64L, null),
            new ClusterStatusReport.Shard(2, List.of("n3", "n1"), null, 3, 9L, null, null));
  }

  @Test
  void status_twoReplicasSayLeader_higherTermWins() {
    GetClusterStatusResponse response =
        ClusterFixtures.status().toBuilder()
            .setNodes(
                0,
                ClusterFixtures.up(
                    "n1",
                    ClusterFixtures.meta("LEADER", "n1", 2, 30),
                    ClusterFixtures.shardReplica(0, "LEADER", "n1", 2, 100, 11)))
            .build();
    ClusterStatusReport report = ClusterStatusReport.of(response);
    // n1 still says LEADER in term 2; n2 leads in term 3
    assertThat(report.shards().get(0).leader()).isEqualTo("n2");
    assertThat(report.shards().get(0).keys()).isEqualTo(18L);
    assertThat(report.nodes().get(0).leaders()).containsExactly("meta", "shard-0");
  }

  @Test
  void status_nodeWithoutStatus_downNoStatusReported_strayNodeListedLast() {
    GetClusterStatusResponse response =
        GetClusterStatusResponse.newBuilder()
            .setMap(ClusterFixtures.map())
            .addNodes(ClusterFixtures.status().getNodes(0))
            .addNodes(ClusterFixtures.up("n9"))
            .build();
    ClusterStatusReport report = ClusterStatusReport.of(response);
    assertThat(report.nodes())
        .extracting(ClusterStatusReport.Node::id)
        .containsExactly("n1", "n2", "n3", "n9");
    assertThat(report.nodes().get(1).up()).isFalse();
    assertThat(report.nodes().get(1).error()).isEqualTo("no status reported");
    assertThat(report.nodes().get(3).raft()).isEqualTo("-");
    // shard-1's replicas n2, n3 reported nothing: no keys, no leader
    assertThat(report.shards().get(1))
        .isEqualTo(new ClusterStatusReport.Shard(1, List.of("n2", "n3"), null, 4, null, null, null));
  }

  @Test
  void status_emptyClusterNoShardsNoAssignment_tablesWithHeadersOnly() {
    ClusterMap map =
        ClusterMap.newBuilder()
            .setClusterId("c")
            .setEpoch(1)
            .setPartitionCount(1024)
            .setReplication(3)
            .addNodes(ClusterFixtures.node("n1", 1))
            .build();
    ClusterStatusReport report =
        ClusterStatusReport.of(
            GetClusterStatusResponse.newBuilder()
                .setMap(map)
                .addNodes(ClusterFixtures.up("n1"))
                .build());
    assertThat(report.table())
        .containsExactly(
            "cluster=c epoch=1 partitions=1024 replication=3 meta=-",
            "",
            "NODE  RAFT            API             STATE  GROUPS  LEADERS",
            "n1    127.0.0.1:7001  127.0.0.1:8001  UP     -       -",
            "",
            "SHARD  REPLICAS  LEADER  PARTITIONS  KEYS  APPLIED");
    assertThat(report.json().toString())
        .isEqualTo(
            "{\"cluster_id\":\"c\",\"epoch\":1,\"partitions\":1024,\"replication\":3,"
                + "\"meta_members\":[],\"meta_leader\":null,\"nodes\":[{\"id\":\"n1\","
                + "\"raft\":\"127.0.0.1:7001\",\"api\":\"127.0.0.1:8001\",\"up\":true,"
                + "\"error\":null,\"groups\":[],\"leaders\":[],\"limits_reached\":[]}],\"shards\":[]}");
  }

  @Test
  void status_multiLineError_oneLine_ipv6HostBracketed() {
    NodeInfo v6 =
        NodeInfo.newBuilder().setId("n1").setHost("::1").setRaftPort(7001).setApiPort(8001).build();
    ClusterStatusReport report =
        ClusterStatusReport.of(
            GetClusterStatusResponse.newBuilder()
                .setMap(ClusterMap.newBuilder().addNodes(v6))
                .addNodes(ClusterFixtures.down("n1", "DEADLINE_EXCEEDED:\n  deadline passed"))
                .build());
    assertThat(report.nodes().get(0).raft()).isEqualTo("[::1]:7001");
    assertThat(report.nodes().get(0).error()).isEqualTo("DEADLINE_EXCEEDED: deadline passed");
  }

  @Test
  void map_capFollowsBoundedLoadsFormula() {
    // P = 1024, S = 3, eps = 0.25: ceil(1.25 * 1024 / 3) = ceil(426.67) = 427
    // (docs/partitioning.md)
    ClusterMap map =
        ClusterFixtures.map().toBuilder()
            .setPartitionCount(1024)
            .clearAssignment()
            .addAllAssignment(java.util.Collections.nCopies(1024, 1))
            .build();
    ClusterMapReport report =
        ClusterMapReport.of(GetClusterMapResponse.newBuilder().setMap(map).build());
    assertThat(report.cap()).isEqualTo(427);
    assertThat(report.shards())
        .extracting(ClusterMapReport.Shard::partitions)
        .containsExactly(0, 1024, 0);
    assertThat(report.shards())
        .extracting(ClusterMapReport.Shard::sharePercent)
        .containsExactly("0.0", "100.0", "0.0");
    assertThat(report.shards()).extracting(ClusterMapReport.Shard::leader).containsOnlyNulls();
  }

  @Test
  void map_noPlacementNoPartitions_capAndShareUnknown() {
    ClusterMap map =
        ClusterFixtures.map().toBuilder()
            .clearPlacement()
            .setPartitionCount(0)
            .clearAssignment()
            .build();
    ClusterMapReport report =
        ClusterMapReport.of(GetClusterMapResponse.newBuilder().setMap(map).build());
    assertThat(report.eps()).isNull();
    assertThat(report.cap()).isNull();
    assertThat(report.table())
        .startsWith(
            "cluster=test-cluster epoch=7 partitions=0 shards=3 eps=-",
            "",
            "SHARD    PARTITIONS  SHARE  CAP  REPLICAS",
            "shard-0  0           -      -    n1,n2");
    assertThat(report.json().toString())
        .startsWith(
            "{\"cluster_id\":\"test-cluster\",\"epoch\":7,\"partitions\":0,\"eps\":null,"
                + "\"cap\":null,\"shards\":[{\"id\":0,\"partitions\":0,\"share_percent\":null,");
  }

  @Test
  void map_shardWithoutReplicas_dash() {
    ClusterMap map =
        ClusterFixtures.map().toBuilder().setShards(2, ClusterFixtures.shard(2)).build();
    ClusterMapReport report =
        ClusterMapReport.of(GetClusterMapResponse.newBuilder().setMap(map).build());
    assertThat(report.table().get(report.table().size() - 1))
        .isEqualTo("shard-2  3           25.0%  5    -");
  }
}
