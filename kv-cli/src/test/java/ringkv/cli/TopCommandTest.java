package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kvctl top} against {@link FakeAdmin}'s map (n1, n2, n3 with API ports 8001-8003, so admin
 * ports 9001-9003) and {@link FakeMetrics} on a {@link FakePacer}.
 */
class TopCommandTest {
  private static final String N1 = "127.0.0.1:9001";
  private static final String N2 = "127.0.0.1:9002";
  private static final String N3 = "127.0.0.1:9003";
  private static final long SECOND = 1_000_000_000L;

  private final Kvctl kvctl = new Kvctl();

  /** n1 and n2 answer two scrapes 2s apart with known deltas; n3 refuses. */
  private void twoScrapes() {
    kvctl.metrics.answer(
        N1,
        new MetricsText()
            .calls("Put", "OK", 10, 20, 20, 20, 20)
            .calls("Put", "UNAVAILABLE", 1, 1, 1, 1, 1)
            .calls("ringkv.v1.Admin", "GetClusterMap", "OK", 0, 3, 3, 3, 3)
            .forwarded("put", 10)
            .group("meta", true, 2, 30, 0, 0, 0)
            .group("0", false, 3, 100, 0, 50, 5000)
            .group("2", false, 4, 88, 0, 9, 900)
            .toString(),
        new MetricsText()
            // +100,+180,+198,+200,+200
            .calls("Put", "OK", 110, 200, 218, 220, 220)
            // +4 in every bucket
            .calls("Put", "UNAVAILABLE", 5, 5, 5, 5, 5)
            // new since the first scrape: counts from 0
            .calls("Get", "OK", 0, 10, 20, 20, 20)
            // not a data call: ignored
            .calls("ringkv.v1.Admin", "GetClusterMap", "OK", 0, 500, 500, 500, 500)
            .forwarded("put", 70)
            .forwarded("get", 10)
            .group("meta", true, 2, 30, 0, 0, 0)
            .group("0", false, 3, 300, 3, 150, 15000)
            .group("2", false, 4, 88, 0, 9, 900)
            .toString());
    kvctl.metrics.answer(
        N2,
        new MetricsText()
            .calls("Get", "OK", 0, 0, 0, 0, 0)
            .group("meta", false, 2, 30, 0, 0, 0)
            .group("0", true, 3, 101, 0, 50, 5000)
            .group("1", true, 2, 64, 0, 5, 500)
            .toString(),
        new MetricsText()
            .calls("Get", "OK", 10, 10, 10, 10, 10)
            .group("meta", false, 2, 30, 0, 0, 0)
            .group("0", true, 3, 401, 1, 150, 15360)
            .group("1", true, 2, 64, 0, 5, 500)
            .toString());
  }

  static final String FIRST =
      """
      cluster=test-cluster epoch=7 refresh=1 interval=2s up=2/3 ops/s=- errors/s=-

      NODE  ADMIN           STATE  OPS/S  P99  ERRORS/S  FORWARDED/S  ERROR
      n1    127.0.0.1:9001  UP     -      -    -         -            -
      n2    127.0.0.1:9002  UP     -      -    -         -            -
      n3    127.0.0.1:9003  DOWN   -      -    -         -            connection refused

      SHARD    LEADER  APPLIED/S  LAG  KEYS  DATA
      meta     n1      -          0    -     -
      shard-0  n2      -          0    50    4.9KiB
      shard-1  n2      -          0    5     500B
      shard-2  -       -          0    9     900B
      """;

  // p99 of n1: 224 calls, rank 221.76 falls in (2ms, 4ms] holding 28 of them, 27.76 in:
  // 2ms + 2ms * 27.76 / 28 = 3.98ms. n2: 10 calls all under 1ms, rank 9.9: 1ms * 9.9 / 10.
  static final String SECOND_REFRESH =
      """
      cluster=test-cluster epoch=7 refresh=2 interval=2s up=2/3 ops/s=117.0 errors/s=2.0

      NODE  ADMIN           STATE  OPS/S  P99     ERRORS/S  FORWARDED/S  ERROR
      n1    127.0.0.1:9001  UP     112.0  4.0ms   2.0       35.0         -
      n2    127.0.0.1:9002  UP     5.0    0.99ms  0.0       0.0          -
      n3    127.0.0.1:9003  DOWN   -      -       -         -            connection refused

      SHARD    LEADER  APPLIED/S  LAG  KEYS  DATA
      meta     n1      0.0        0    -     -
      shard-0  n2      150.0      3    150   15.0KiB
      shard-1  n2      0.0        0    5     500B
      shard-2  -       -          0    9     900B
      """;

  @Test
  void top_twoRefreshes_ratesAndP99FromSecond_downNodeShown() {
    twoScrapes();
    Kvctl.Run run = kvctl.run("top", "--iterations", "2");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(FIRST + "\n" + SECOND_REFRESH);
    assertThat(kvctl.admin.calls).extracting(FakeAdmin.Call::rpc).containsExactly("GetClusterMap");
  }

  @Test
  void top_json_oneObjectPerRefresh() {
    twoScrapes();
    Kvctl.Run run = kvctl.run("top", "--iterations", "2", "-o", "json");
    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith(
            "{\"refresh\":1,\"elapsed_seconds\":0,\"interval_seconds\":2,"
                + "\"cluster_id\":\"test-cluster\",\"epoch\":7,\"nodes_up\":2,"
                + "\"ops_per_second\":null,\"errors_per_second\":null,");
    assertThat(lines.get(1))
        .isEqualTo(
            "{\"refresh\":2,\"elapsed_seconds\":2,\"interval_seconds\":2,"
                + "\"cluster_id\":\"test-cluster\",\"epoch\":7,\"nodes_up\":2,"
                + "\"ops_per_second\":117,\"errors_per_second\":2,\"nodes\":["
                + "{\"id\":\"n1\",\"admin\":\"127.0.0.1:9001\",\"up\":true,\"error\":null,"
                + "\"ops_per_second\":112,\"p99_seconds\":0.00398286,\"errors_per_second\":2,"
                + "\"forwarded_per_second\":35},"
                + "{\"id\":\"n2\",\"admin\":\"127.0.0.1:9002\",\"up\":true,\"error\":null,"
                + "\"ops_per_second\":5,\"p99_seconds\":0.00099,\"errors_per_second\":0,"
                + "\"forwarded_per_second\":0},"
                + "{\"id\":\"n3\",\"admin\":\"127.0.0.1:9003\",\"up\":false,"
                + "\"error\":\"connection refused\",\"ops_per_second\":null,\"p99_seconds\":null,"
                + "\"errors_per_second\":null,\"forwarded_per_second\":null}],"
                + "\"shards\":["
                + "{\"group\":\"meta\",\"shard\":null,\"leader\":\"n1\",\"applied_per_second\":0,"
                + "\"apply_lag_max\":0,\"keys\":null,\"data_bytes\":null},"
                + "{\"group\":\"shard-0\",\"shard\":0,\"leader\":\"n2\",\"applied_per_second\":150,"
                + "\"apply_lag_max\":3,\"keys\":150,\"data_bytes\":15360},"
                + "{\"group\":\"shard-1\",\"shard\":1,\"leader\":\"n2\",\"applied_per_second\":0,"
                + "\"apply_lag_max\":0,\"keys\":5,\"data_bytes\":500},"
                + "{\"group\":\"shard-2\",\"shard\":2,\"leader\":null,\"applied_per_second\":null,"
                + "\"apply_lag_max\":0,\"keys\":9,\"data_bytes\":900}]}");
  }

  @Test
  void top_iterations_stopsAfterN_sleepsOneIntervalBetween() {
    twoScrapes();
    long start = kvctl.pacer.now;
    Kvctl.Run run = kvctl.run("top", "--iterations", "3", "--interval", "500ms", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(3);
    assertThat(kvctl.pacer.deadlines).containsExactly(start + SECOND / 2, start + SECOND);
    assertThat(kvctl.metrics.scrapesOf(N1)).isEqualTo(3);
    assertThat(kvctl.metrics.scrapesOf(N3)).isEqualTo(3);
    assertThat(kvctl.metrics.scrapes.get(0).url()).hasToString("http://127.0.0.1:9001/metrics");
    // the scrape timeout is the interval, up to 5s
    assertThat(kvctl.metrics.scrapes).allMatch(s -> s.timeout().equals(Duration.ofMillis(500)));
  }

  @Test
  void top_defaultInterval_twoSeconds_scrapeTimeoutTwoSeconds() {
    twoScrapes();
    long start = kvctl.pacer.now;
    assertThat(kvctl.run("top", "--iterations", "2").exitCode()).isZero();
    assertThat(kvctl.pacer.deadlines).containsExactly(start + 2 * SECOND);
    assertThat(kvctl.metrics.scrapes).allMatch(s -> s.timeout().equals(Duration.ofSeconds(2)));
  }

  @Test
  void top_longInterval_scrapeTimeoutAtMostFiveSeconds() {
    twoScrapes();
    long start = kvctl.pacer.now;
    assertThat(kvctl.run("top", "--iterations", "2", "--interval", "1m").exitCode()).isZero();
    assertThat(kvctl.pacer.deadlines).containsExactly(start + 60 * SECOND);
    assertThat(kvctl.metrics.scrapes).allMatch(s -> s.timeout().equals(Duration.ofSeconds(5)));
  }

  @Test
  void top_oneIteration_noSleep_noRates() {
    twoScrapes();
    Kvctl.Run run = kvctl.run("top", "--iterations", "1");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(FIRST);
    assertThat(kvctl.pacer.deadlines).isEmpty();
  }

  @Test
  void top_ctrlC_whileWaiting_exits0AfterTheBlocksPrinted() {
    twoScrapes();
    kvctl.pacer.interruptAtSleep = 2;
    Kvctl.Run run = kvctl.run("top");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(FIRST + "\n" + SECOND_REFRESH);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void top_nodeComesBack_upAtOnce_ratesOneRefreshLater() {
    String idle = new MetricsText().calls("Put", "OK", 0, 0, 0, 0, 0).toString();
    String busy = new MetricsText().calls("Put", "OK", 4, 4, 4, 4, 4).toString();
    kvctl.metrics.answer(N1, idle);
    kvctl.metrics.answer(N2, idle);
    kvctl.metrics.fail(N3, "no answer within 2s").answer(N3, idle, busy);
    Kvctl.Run run = kvctl.run("top", "--iterations", "3", "-o", "json");
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .contains(
            "{\"id\":\"n3\",\"admin\":\"127.0.0.1:9003\",\"up\":false,\"error\":\"no answer within"
                + " 2s\"");
    assertThat(lines.get(1))
        .contains(
            "{\"id\":\"n3\",\"admin\":\"127.0.0.1:9003\",\"up\":true,\"error\":null,"
                + "\"ops_per_second\":null");
    assertThat(lines.get(2))
        .contains(
            "{\"id\":\"n3\",\"admin\":\"127.0.0.1:9003\",\"up\":true,\"error\":null,"
                + "\"ops_per_second\":2,");
  }

  @Test
  void top_counterReset_nodeRestarted_countsFromZero() {
    kvctl.metrics.answer(
        N1,
        new MetricsText().calls("Put", "OK", 1000, 1000, 1000, 1000, 1000).toString(),
        new MetricsText().calls("Put", "OK", 6, 6, 6, 6, 6).toString());
    Kvctl.Run run = kvctl.run("top", "--iterations", "2", "-o", "json");
    assertThat(run.out().lines().toList().get(1))
        .contains(
            "{\"id\":\"n1\",\"admin\":\"127.0.0.1:9001\",\"up\":true,\"error\":null,"
                + "\"ops_per_second\":3,");
  }

  @Test
  void top_noDataCalls_p99Dash() {
    String idle = new MetricsText().calls("Put", "OK", 7, 7, 7, 7, 7).toString();
    kvctl.metrics.answer(N1, idle);
    Kvctl.Run run = kvctl.run("top", "--iterations", "2");
    assertThat(run.out()).contains("n1    127.0.0.1:9001  UP     0.0    -    0.0       0.0");
  }

  @Test
  void top_unreadableMetrics_nodeDownWithLine() {
    kvctl.metrics.answer(N1, "ringkv_shard_keys{shard=\"0\" 12\n");
    Kvctl.Run run = kvctl.run("top", "--iterations", "1", "-o", "json");
    assertThat(run.out())
        .contains(
            "{\"id\":\"n1\",\"admin\":\"127.0.0.1:9001\",\"up\":false,"
                + "\"error\":\"unreadable /metrics: line 1: expected ',' or '}' in the labels\"");
  }

  @Test
  void top_twoReplicasSayLeader_higherTermWins() {
    kvctl.metrics.answer(N1, new MetricsText().group("0", true, 3, 10, 0, 1, 1).toString());
    kvctl.metrics.answer(N2, new MetricsText().group("0", true, 4, 12, 0, 2, 2).toString());
    Kvctl.Run run = kvctl.run("top", "--iterations", "1");
    assertThat(run.out()).contains("shard-0  n2      -          0    2     2B");
  }

  @Test
  void top_shardNotInMap_listedAfterTheMapsShards() {
    kvctl.metrics.answer(N1, new MetricsText().group("7", true, 1, 10, 0, 1, 1).toString());
    Kvctl.Run run = kvctl.run("top", "--iterations", "1");
    assertThat(run.out())
        .endsWith(
            "shard-2  -       -          -    -     -\n"
                + "shard-7  n1      -          0    1     1B\n");
  }

  @Test
  void top_terminal_redrawsInPlace() {
    twoScrapes();
    kvctl.terminal = true;
    Kvctl.Run run = kvctl.run("top", "--iterations", "2");
    assertThat(run.exitCode()).isZero();
    String screen = "\033[H" + SECOND_REFRESH.replace("\n", "\033[K\n") + "\033[J";
    assertThat(run.out()).isEqualTo("\033[H" + FIRST.replace("\n", "\033[K\n") + "\033[J" + screen);
  }

  @Test
  void top_terminalJson_noEscapes() {
    twoScrapes();
    kvctl.terminal = true;
    Kvctl.Run run = kvctl.run("top", "--iterations", "1", "-o", "json");
    assertThat(run.out()).startsWith("{\"refresh\":1,").doesNotContain("\033");
  }

  @Test
  void top_noEndpointAnswers_exit1_nothingScraped() {
    kvctl.admin.fail("a:1", Status.UNAVAILABLE.withDescription("io exception"));
    Kvctl.Run run = kvctl.run("--endpoints", "a:1", "top", "--iterations", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("kvctl: error: no node answered at a:1: UNAVAILABLE (io exception)\n");
    assertThat(kvctl.metrics.scrapes).isEmpty();
  }

  @Test
  void top_firstEndpointDown_mapFromNext() {
    twoScrapes();
    kvctl.admin.fail("a:1", Status.UNAVAILABLE);
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2", "top", "--iterations", "1");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.admin.endpointsCalled()).containsExactly("a:1", "b:2");
  }

  @Test
  void top_adminPortsInMap_scrapedThere() {
    var map = kvctl.admin.map.getMap().toBuilder();
    map.getNodesBuilder(0).setAdminPort(19001);
    map.getNodesBuilder(2).setAdminPort(19003);
    kvctl.admin.map = kvctl.admin.map.toBuilder().setMap(map).build();
    kvctl.metrics.answer("127.0.0.1:19001", new MetricsText().toString());
    Kvctl.Run run = kvctl.run("top", "--iterations", "1");
    assertThat(kvctl.metrics.scrapes)
        .extracting(s -> s.url().toString())
        .containsExactly(
            "http://127.0.0.1:19001/metrics",
            "http://127.0.0.1:9002/metrics",
            "http://127.0.0.1:19003/metrics");
    assertThat(run.out()).contains("n1    127.0.0.1:19001  UP");
  }

  @Test
  void top_iterationsBelowOne_usageError() {
    Kvctl.Run run = kvctl.run("top", "--iterations", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: --iterations must be at least 1, got 0 (see 'kvctl top --help')\n");
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void top_badInterval_usageError() {
    Kvctl.Run run = kvctl.run("top", "--interval", "0s");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kvctl: error: Invalid value for option '--interval'");
  }

  @Test
  void top_badOutput_usageError() {
    assertThat(kvctl.run("top", "-o", "yaml").exitCode()).isEqualTo(2);
  }
}
