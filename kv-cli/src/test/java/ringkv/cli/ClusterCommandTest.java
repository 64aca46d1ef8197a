package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.WriteLimitReached;

/** {@code kvctl cluster status} and {@code kvctl cluster map} against {@link FakeAdmin}. */
class ClusterCommandTest {
  static final String STATUS_TABLE =
      """
      cluster=test-cluster epoch=7 partitions=12 replication=2 meta=n1*,n2,n3

      NODE  RAFT            API             STATE  GROUPS                LEADERS          ERROR
      n1    127.0.0.1:7001  127.0.0.1:8001  UP     meta,shard-0,shard-2  meta             -
      n2    127.0.0.1:7002  127.0.0.1:8002  UP     meta,shard-0,shard-1  shard-0,shard-1  -
      n3    127.0.0.1:7003  127.0.0.1:8003  DOWN   -                     -                UNAVAILABLE: io exception

      SHARD    REPLICAS  LEADER  PARTITIONS  KEYS  APPLIED
      shard-0  n1,n2*    n2      5           18    121
      shard-1  n2*,n3    n2      4           5     64
      shard-2  n3,n1     -       3           9     -
      """;

  static final String STATUS_JSON =
      "{\"cluster_id\":\"test-cluster\",\"epoch\":7,\"partitions\":12,\"replication\":2,"
          + "\"meta_members\":[\"n1\",\"n2\",\"n3\"],\"meta_leader\":\"n1\",\"nodes\":["
          + "{\"id\":\"n1\",\"raft\":\"127.0.0.1:7001\",\"api\":\"127.0.0.1:8001\",\"up\":true,"
          + "\"error\":null,\"groups\":[\"meta\",\"shard-0\",\"shard-2\"],\"leaders\":[\"meta\"],\"limits_reached\":[]},"
          + "{\"id\":\"n2\",\"raft\":\"127.0.0.1:7002\",\"api\":\"127.0.0.1:8002\",\"up\":true,"
          + "\"error\":null,\"groups\":[\"meta\",\"shard-0\",\"shard-1\"],"
          + "\"leaders\":[\"shard-0\",\"shard-1\"],\"limits_reached\":[]},"
          + "{\"id\":\"n3\",\"raft\":\"127.0.0.1:7003\",\"api\":\"127.0.0.1:8003\",\"up\":false,"
          + "\"error\":\"UNAVAILABLE: io exception\",\"groups\":[],\"leaders\":[],\"limits_reached\":[]}],"
          + "\"shards\":["
          + "{\"id\":0,\"replicas\":[\"n1\",\"n2\"],\"leader\":\"n2\",\"partitions\":5,\"keys\":18,"
          + "\"applied_index\":121,\"move\":null},"
          + "{\"id\":1,\"replicas\":[\"n2\",\"n3\"],\"leader\":\"n2\",\"partitions\":4,\"keys\":5,"
          + "\"applied_index\":64,\"move\":null},"
          + "{\"id\":2,\"replicas\":[\"n3\",\"n1\"],\"leader\":null,\"partitions\":3,\"keys\":9,"
          + "\"applied_index\":null,\"move\":null}]}\n";

  static final String MAP_TABLE =
      """
      cluster=test-cluster epoch=7 partitions=12 shards=3 eps=0.25

      SHARD    PARTITIONS  SHARE  CAP  REPLICAS
      shard-0  5           41.7%  5    n1,n2*
      shard-1  4           33.3%  5    n2*,n3
      shard-2  3           25.0%  5    n3,n1
      """;

  static final String MAP_JSON =
      "{\"cluster_id\":\"test-cluster\",\"epoch\":7,\"partitions\":12,\"eps\":0.25,\"cap\":5,"
          + "\"shards\":["
          + "{\"id\":0,\"partitions\":5,\"share_percent\":41.7,\"replicas\":[\"n1\",\"n2\"],"
          + "\"leader\":\"n2\",\"move\":null},"
          + "{\"id\":1,\"partitions\":4,\"share_percent\":33.3,\"replicas\":[\"n2\",\"n3\"],"
          + "\"leader\":\"n2\",\"move\":null},"
          + "{\"id\":2,\"partitions\":3,\"share_percent\":25.0,\"replicas\":[\"n3\",\"n1\"],"
          + "\"leader\":null,\"move\":null}]}\n";

  private final Kvctl kvctl = new Kvctl();

  // --- status

  @Test
  void status_table_headerNodesAndShards_downNodeShownExit0() {
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "cluster", "status");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(STATUS_TABLE);
    assertThat(kvctl.admin.calls).hasSize(1);
    assertThat(kvctl.admin.calls.get(0).rpc()).isEqualTo("GetClusterStatus");
    assertThat(kvctl.admin.calls.get(0).endpoint()).isEqualTo("a:1");
  }

  @Test
  void status_json_oneDocumentStableKeyOrder() {
    Kvctl.Run run = kvctl.run("cluster", "status", "-o", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(STATUS_JSON);
    assertThat(kvctl.run("cluster", "status", "--output", "JSON").out()).isEqualTo(STATUS_JSON);
  }

  @Test
  void status_allUp_noErrorColumn() {
    kvctl.admin.status =
        ClusterFixtures.status().toBuilder()
            .setNodes(
                2,
                ClusterFixtures.up(
                    "n3",
                    ClusterFixtures.meta("FOLLOWER", "n1", 2, 30),
                    ClusterFixtures.shardReplica(1, "FOLLOWER", "n2", 2, 64, 5),
                    ClusterFixtures.shardReplica(2, "LEADER", "n3", 5, 90, 10)))
            .build();
    Kvctl.Run run = kvctl.run("cluster", "status");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "NODE  RAFT            API             STATE  GROUPS                LEADERS\n",
            "n3    127.0.0.1:7003  127.0.0.1:8003  UP     meta,shard-1,shard-2  shard-2\n",
            "shard-2  n3*,n1    n3      3           10    90\n")
        .doesNotContain("ERROR", "DOWN", "LIMITS");
  }

  @Test
  void status_nodeAtAWriteLimit_limitsColumn() {
    GetNodeStatusResponse full =
        ClusterFixtures.status().getNodes(1).getStatus().toBuilder()
            .addLimitsReached(
                WriteLimitReached.newBuilder()
                    .setReason(ErrorReason.MEMORY_FULL)
                    .setMessage("memory full: this node holds 1.0 MiB"))
            .build();
    kvctl.admin.status =
        ClusterFixtures.status().toBuilder()
            .setNodes(1, ClusterFixtures.status().getNodes(1).toBuilder().setStatus(full))
            .build();
    Kvctl.Run run = kvctl.run("cluster", "status");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "NODE  RAFT            API             STATE  GROUPS                LEADERS          LIMITS       ERROR\n",
            "n1    127.0.0.1:7001  127.0.0.1:8001  UP     meta,shard-0,shard-2  meta             -            -\n",
            "n2    127.0.0.1:7002  127.0.0.1:8002  UP     meta,shard-0,shard-1  shard-0,shard-1  MEMORY_FULL  -\n");
    assertThat(kvctl.run("cluster", "status", "-o", "json").out())
        .contains("\"limits_reached\":[\"MEMORY_FULL\"]");
  }

  // --- map

  @Test
  void map_table_sharesCapAndReplicas() {
    Kvctl.Run run = kvctl.run("cluster", "map");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(MAP_TABLE);
    assertThat(kvctl.admin.calls.get(0).rpc()).isEqualTo("GetClusterMap");
  }

  @Test
  void map_json_oneDocument() {
    Kvctl.Run run = kvctl.run("cluster", "map", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(MAP_JSON);
  }

  // --- a replica move in flight

  @Test
  void status_and_map_moveInFlight_movingColumnAndJsonObject() {
    var move = ringkv.api.v1.MoveReplicaRequest.newBuilder()
        .setShardId(1).setFromNodeId("n3").setToNodeId("n1").build();
    kvctl.admin.status =
        ClusterFixtures.status().toBuilder().setMap(ClusterFixtures.moving(move, 7)).build();
    kvctl.admin.map =
        ClusterFixtures.clusterMap().toBuilder().setMap(ClusterFixtures.moving(move, 7)).build();

    assertThat(kvctl.run("cluster", "status").out())
        .endsWith(
            """
            SHARD    REPLICAS  LEADER  PARTITIONS  KEYS  APPLIED  MOVING
            shard-0  n1,n2*    n2      5           18    121      -
            shard-1  n2*,n3    n2      4           5     64       n3->n1
            shard-2  n3,n1     -       3           9     -        -
            """);
    assertThat(kvctl.run("cluster", "status", "-o", "json").out())
        .contains(
            "\"applied_index\":64,\"move\":{\"from\":\"n3\",\"to\":\"n1\",\"started_epoch\":7}}");
    assertThat(kvctl.run("cluster", "map").out())
        .endsWith(
            """
            SHARD    PARTITIONS  SHARE  CAP  REPLICAS  MOVING
            shard-0  5           41.7%  5    n1,n2*    -
            shard-1  4           33.3%  5    n2*,n3    n3->n1
            shard-2  3           25.0%  5    n3,n1     -
            """);
    assertThat(kvctl.run("cluster", "map", "-o", "json").out())
        .contains(
            "\"leader\":\"n2\",\"move\":{\"from\":\"n3\",\"to\":\"n1\",\"started_epoch\":7}}");
  }

  // --- partition moves in flight (shard add, shard remove)

  @Test
  void status_shardRemoving_reshardingLineRemovingMarkerAndJsonSummary() {
    kvctl.admin.status =
        ClusterFixtures.status().toBuilder().setMap(ClusterFixtures.removing(2, 9)).build();

    assertThat(kvctl.run("cluster", "status").out())
        .startsWith(
            """
            cluster=test-cluster epoch=9 partitions=12 replication=2 meta=n1*,n2,n3
            resharding: 2 partition moves left (copying 1, dropping 1): shard 2 -> shards 0,1

            NODE""")
        .endsWith(
            """
            SHARD             REPLICAS  LEADER  PARTITIONS  KEYS  APPLIED
            shard-0           n1,n2*    n2      6           18    121
            shard-1           n2*,n3    n2      5           5     64
            shard-2 REMOVING  n3,n1     -       1           9     -
            """);
    assertThat(kvctl.run("cluster", "status", "-o", "json").out())
        .contains("{\"id\":1,\"replicas\":[\"n2\",\"n3\"],\"leader\":\"n2\",\"partitions\":5,\"keys\":5,"
            + "\"applied_index\":64,\"move\":null},")
        .endsWith("\"applied_index\":null,\"move\":null,\"removing\":true}],"
            + "\"partition_moves\":{\"count\":2,\"copying\":1,\"dropping\":1,"
            + "\"to_shards\":[{\"shard\":0,\"moves\":1},{\"shard\":1,\"moves\":1}],"
            + "\"from_shards\":[{\"shard\":2,\"moves\":2}]}}\n");
  }

  @Test
  void map_shardAdding_reshardingLineAndJsonSummary() {
    kvctl.admin.map =
        ClusterFixtures.clusterMap().toBuilder().setMap(ClusterFixtures.adding(2, 9)).build();

    assertThat(kvctl.run("cluster", "map").out())
        .isEqualTo(
            """
            cluster=test-cluster epoch=9 partitions=12 shards=4 eps=0.25
            resharding: 2 partition moves left (copying 1, dropping 1): shard 3 <- shards 1,2

            SHARD    PARTITIONS  SHARE  CAP  REPLICAS
            shard-0  4           33.3%  4    n1,n2*
            shard-1  3           25.0%  4    n2*,n3
            shard-2  3           25.0%  4    n3,n1
            shard-3  2           16.7%  4    n1,n3
            """);
    assertThat(kvctl.run("cluster", "map", "-o", "json").out())
        .endsWith("{\"id\":3,\"partitions\":2,\"share_percent\":16.7,\"replicas\":[\"n1\",\"n3\"],"
            + "\"leader\":null,\"move\":null}],"
            + "\"partition_moves\":{\"count\":2,\"copying\":1,\"dropping\":1,"
            + "\"to_shards\":[{\"shard\":3,\"moves\":2}],"
            + "\"from_shards\":[{\"shard\":1,\"moves\":1},{\"shard\":2,\"moves\":1}]}}\n");
  }

  @Test
  void map_removingShardWithAllMovesDone_markerWithoutReshardingLine() {
    var map = ClusterFixtures.removing(0, 11).toBuilder()
        .addShards(ClusterFixtures.shard(2, "n3", "n1").toBuilder().setRemoving(true))
        .build();
    kvctl.admin.map = ClusterFixtures.clusterMap().toBuilder().setMap(map).build();

    assertThat(kvctl.run("cluster", "map").out())
        .startsWith("cluster=test-cluster epoch=11 partitions=12 shards=3 eps=0.25\n\n")
        .contains("shard-2 REMOVING  0           0.0%   5    n3,n1\n");
    assertThat(kvctl.run("cluster", "map", "-o", "json").out())
        .endsWith("\"leader\":null,\"move\":null,\"removing\":true}]}\n");
  }

  // --- endpoints, failover, deadline

  @Test
  void firstEndpointDown_nextOneAsked() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2,c:3", "cluster", "status");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(STATUS_TABLE);
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1", "b:2");
  }

  @Test
  void noEndpointAnswers_exit1_oneLineNamingEndpointsAndReasons() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    kvctl.admin.fail(
        "b:2", Status.FAILED_PRECONDITION.withDescription("this node has no cluster map yet"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "cluster", "status");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: no node answered at a:1,b:2: a:1 UNAVAILABLE (io exception); b:2"
                + " FAILED_PRECONDITION (this node has no cluster map yet)\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1", "b:2");
  }

  @Test
  void noEndpointAnswers_singleEndpoint_reasonWithoutRepeatingIt() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "cluster", "map", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("kvctl: error: no node answered at a:1: UNAVAILABLE (io exception)\n");
  }

  @Test
  void noEndpointAnswers_verbose_stackTraceOfLastFailure() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--verbose", "--endpoints", "a:1", "cluster", "status");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines().get(0))
        .isEqualTo("kvctl: error: no node answered at a:1: UNAVAILABLE (io exception)");
    assertThat(run.err()).contains("Caused by: io.grpc.StatusRuntimeException: UNAVAILABLE");
  }

  @Test
  void timeout_attemptCappedWhileOthersRemain_lastGetsTheRest() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE);
    kvctl.run("--endpoints", "a:1,b:2", "cluster", "status");
    assertThat(kvctl.admin.calls.get(0).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(kvctl.admin.calls.get(1).timeout())
        .isGreaterThan(Duration.ofSeconds(9))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void timeout_shorterThanAttemptCap_isTheAttemptDeadline() {
    Kvctl.Run run = kvctl.run("--timeout", "3s", "--endpoints", "a:1,b:2", "cluster", "map");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.admin.calls.get(0).timeout())
        .isGreaterThan(Duration.ofMillis(2900))
        .isLessThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void timeout_passed_remainingEndpointsNotTried() {
    kvctl.admin.fail("a:1", Status.DEADLINE_EXCEEDED);
    kvctl.admin.failAfter = Duration.ofMillis(50);
    Kvctl.Run run = kvctl.run("--timeout", "20ms", "--endpoints", "a:1,b:2", "cluster", "status");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: no node answered at a:1,b:2: a:1 DEADLINE_EXCEEDED; b:2 NOT_TRIED"
                + " (--timeout passed)\n");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1");
  }

  @Test
  void endpoints_globalOptionsAfterSubcommandOrFromEnv() {
    kvctl.run("cluster", "status", "--endpoints", "x:9");
    kvctl.run("cluster", "--endpoints", "y:9", "map");
    kvctl.env.put(GlobalOptions.ENDPOINTS_ENV, "z:9");
    kvctl.run("cluster", "map");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("x:9", "y:9", "z:9");
  }

  @Test
  void endpoints_default_localCluster() {
    kvctl.run("cluster", "status");
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("127.0.0.1:8001");
  }

  // --- usage

  @Test
  void cluster_withoutSubcommand_usageError() {
    Kvctl.Run run = kvctl.run("cluster");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("kvctl: error: missing command: status or map (see 'kvctl cluster --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void badOutput_usageErrorNothingSent() {
    Kvctl.Run run = kvctl.run("cluster", "status", "-o", "raw");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: Invalid value for option '--output': 'raw' is not one of table, json"
                + " (see 'kvctl cluster status --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void help_listsClusterCommands() {
    assertThat(kvctl.run("--help").out()).contains("cluster");
    Kvctl.Run run = kvctl.run("cluster", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: kvctl cluster", "status", "map", "--endpoints");
    assertThat(kvctl.run("cluster", "status", "--help").out())
        .contains("Usage: kvctl cluster status", "--output", "--timeout");
  }
}
