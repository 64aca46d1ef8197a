package ringkv.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ShardInfo;

/**
 * One refresh of {@code kvctl top}: per node, whether it answered and its rates since the previous
 * refresh; per Raft group, its leader and numbers. Rates are {@code null} until a node has answered
 * two scrapes in a row.
 *
 * @param refresh 1 for the first refresh
 * @param elapsed time from the first refresh's scrapes to this one's
 * @param nodes the map's nodes in join order
 * @param groups meta, then the map's shards in id order, then any other group a node reported
 */
record TopReport(
    String clusterId,
    long epoch,
    int refresh,
    Duration elapsed,
    Duration interval,
    List<Node> nodes,
    List<Group> groups) {

  static final double QUANTILE = 0.99;

  /**
   * @param admin the admin {@code host:port} scraped
   * @param error why the node is down, on one line; null when it is up
   * @param p99Seconds the 99th percentile latency of the data calls since the previous refresh;
   *     null also when there were none
   */
  record Node(
      String id,
      String admin,
      boolean up,
      @Nullable String error,
      @Nullable Double opsPerSecond,
      @Nullable Double p99Seconds,
      @Nullable Double errorsPerSecond,
      @Nullable Double forwardedPerSecond) {}

  /**
   * @param name {@code meta} or {@code shard-N}
   * @param shard N, or null for the meta group
   * @param leader the node whose replica says it leads (the highest term if several do), or null
   * @param appliedPerSecond entries the leader applied per second since the previous refresh
   * @param applyLagMax the largest commit-minus-applied gap over the replicas that answered
   * @param keys the leader's key count; without a leader the largest any replica reported
   * @param dataBytes as {@code keys}, for the bytes of keys and values
   */
  record Group(
      String name,
      @Nullable Integer shard,
      @Nullable String leader,
      @Nullable Double appliedPerSecond,
      @Nullable Long applyLagMax,
      @Nullable Long keys,
      @Nullable Long dataBytes) {}

  /**
   * What a scrape of one node gave: the scrape, or why there is none.
   *
   * @param error one line; null when {@code scrape} is there
   */
  record Scraped(MetricsTarget target, @Nullable NodeScrape scrape, @Nullable String error) {
    static Scraped up(MetricsTarget target, NodeScrape scrape) {
      return new Scraped(target, scrape, null);
    }

    static Scraped down(MetricsTarget target, String error) {
      return new Scraped(target, null, ErrorReporter.oneLine(error));
    }
  }

  /**
   * @param now this refresh's scrapes, one per node of the map, in map order
   * @param previous the previous refresh's scrapes of the nodes that answered it, by node id
   */
  static TopReport of(
      ClusterMap map,
      int refresh,
      Duration elapsed,
      Duration interval,
      List<Scraped> now,
      Map<String, NodeScrape> previous) {
    List<Node> nodes = now.stream().map(s -> node(s, previous.get(s.target().nodeId()))).toList();

    Set<String> labels = new LinkedHashSet<>();
    labels.add("meta");
    map.getShardsList().stream()
        .map(ShardInfo::getId)
        .sorted()
        .forEach(id -> labels.add(Integer.toString(id)));
    Set<String> others =
        new TreeSet<>(
            Comparator.comparing(
                    TopReport::shardNumber, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Comparator.naturalOrder()));
    now.stream()
        .filter(s -> s.scrape() != null)
        .forEach(s -> others.addAll(s.scrape().groups().keySet()));
    labels.addAll(others);
    List<Group> groups = labels.stream().map(label -> group(label, now, previous)).toList();
    return new TopReport(
        map.getClusterId(), map.getEpoch(), refresh, elapsed, interval, nodes, groups);
  }

  private static Node node(Scraped scraped, @Nullable NodeScrape before) {
    String id = scraped.target().nodeId();
    String admin = scraped.target().address();
    NodeScrape after = scraped.scrape();
    if (after == null) {
      return new Node(id, admin, false, scraped.error(), null, null, null, null);
    }
    double seconds = before == null ? 0 : (after.nanos() - before.nanos()) / 1e9;
    if (before == null || !(seconds > 0)) {
      return new Node(id, admin, true, null, null, null, null, null);
    }
    double p99 = HistogramQuantile.of(QUANTILE, after.dataLatencySince(before));
    return new Node(
        id,
        admin,
        true,
        null,
        after.dataCallsSince(before) / seconds,
        Double.isNaN(p99) ? null : p99,
        after.dataErrorsSince(before) / seconds,
        after.forwardedSince(before) / seconds);
  }

  private static Group group(String label, List<Scraped> now, Map<String, NodeScrape> previous) {
    @Nullable Scraped leader = null;
    NodeScrape.@Nullable Group leaderGroup = null;
    @Nullable Long lagMax = null;
    double keysMax = Double.NaN;
    double bytesMax = Double.NaN;
    for (Scraped s : now) {
      NodeScrape.@Nullable Group g = s.scrape() == null ? null : s.scrape().groups().get(label);
      if (g == null) {
        continue;
      }
      if (g.leads() && (leaderGroup == null || g.term() > leaderGroup.term())) {
        leader = s;
        leaderGroup = g;
      }
      if (!Double.isNaN(g.applyLag())) {
        lagMax = Math.max(lagMax == null ? Long.MIN_VALUE : lagMax, Math.round(g.applyLag()));
      }
      keysMax = max(keysMax, g.keys());
      bytesMax = max(bytesMax, g.dataBytes());
    }
    @Nullable Integer shard = shardNumber(label);
    String name = shard == null ? label : "shard-" + shard;
    if (leader == null || leaderGroup == null || leader.scrape() == null) {
      return new Group(name, shard, null, null, lagMax, whole(keysMax), whole(bytesMax));
    }
    return new Group(
        name,
        shard,
        leader.target().nodeId(),
        appliedPerSecond(label, leader.scrape(), previous.get(leader.target().nodeId())),
        lagMax,
        whole(leaderGroup.keys()),
        whole(leaderGroup.dataBytes()));
  }

  private static @Nullable Double appliedPerSecond(
      String label, NodeScrape after, @Nullable NodeScrape before) {
    NodeScrape.@Nullable Group was = before == null ? null : before.groups().get(label);
    if (was == null) {
      return null;
    }
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    double applied = after.groups().get(label).appliedIndex() - was.appliedIndex();
    return seconds > 0 && applied >= 0 ? applied / seconds : null;
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  private static @Nullable Long whole(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value);
  }

  private static @Nullable Integer shardNumber(String label) {
    try {
      return Integer.valueOf(label);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  long nodesUp() {
    return nodes.stream().filter(Node::up).count();
  }

  /** The sum over the nodes that have the rate, or null when none has. */
  private @Nullable Double total(java.util.function.Function<Node, @Nullable Double> rate) {
    List<Double> rates = nodes.stream().map(rate).filter(Objects::nonNull).toList();
    return rates.isEmpty() ? null : rates.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The header line, a blank line, the nodes table, a blank line, the groups table. */
  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "cluster="
            + ClusterStatusReport.orDash(clusterId)
            + " epoch="
            + Long.toUnsignedString(epoch)
            + " refresh="
            + refresh
            + " interval="
            + DurationConverter.format(interval)
            + " up="
            + nodesUp()
            + "/"
            + nodes.size()
            + " ops/s="
            + rate(total(Node::opsPerSecond))
            + " errors/s="
            + rate(total(Node::errorsPerSecond)));
    lines.add("");
    boolean anyError = nodes.stream().anyMatch(n -> n.error() != null);
    List<String> header =
        new ArrayList<>(
            List.of("NODE", "ADMIN", "STATE", "OPS/S", "P99", "ERRORS/S", "FORWARDED/S"));
    if (anyError) {
      header.add("ERROR");
    }
    TextTable nodeTable = new TextTable(header);
    for (Node n : nodes) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  n.id(),
                  n.admin(),
                  n.up() ? "UP" : "DOWN",
                  rate(n.opsPerSecond()),
                  latency(n.p99Seconds()),
                  rate(n.errorsPerSecond()),
                  rate(n.forwardedPerSecond())));
      if (anyError) {
        row.add(ClusterStatusReport.orDash(n.error()));
      }
      nodeTable.row(row);
    }
    lines.addAll(nodeTable.lines());
    lines.add("");
    TextTable groupTable =
        new TextTable(List.of("SHARD", "LEADER", "APPLIED/S", "LAG", "KEYS", "DATA"));
    for (Group g : groups) {
      groupTable.row(
          List.of(
              g.name(),
              ClusterStatusReport.orDash(g.leader()),
              rate(g.appliedPerSecond()),
              ClusterStatusReport.orDash(g.applyLagMax()),
              ClusterStatusReport.orDash(g.keys()),
              g.dataBytes() == null ? "-" : bytes(g.dataBytes())));
    }
    lines.addAll(groupTable.lines());
    return lines;
  }

  /** The refresh as one JSON object; {@code docs/kvctl.md} documents the fields. */
  JsonObject json() {
    return new JsonObject()
        .field("refresh", refresh)
        .number("elapsed_seconds", decimal(elapsed.toNanos() / 1e9))
        .number("interval_seconds", decimal(interval.toNanos() / 1e9))
        .field("cluster_id", clusterId)
        .number("epoch", Long.toUnsignedString(epoch))
        .field("nodes_up", nodesUp())
        .number("ops_per_second", decimal(total(Node::opsPerSecond)))
        .number("errors_per_second", decimal(total(Node::errorsPerSecond)))
        .objects(
            "nodes",
            nodes.stream()
                .map(
                    n ->
                        new JsonObject()
                            .field("id", n.id())
                            .field("admin", n.admin())
                            .field("up", n.up())
                            .field("error", n.error())
                            .number("ops_per_second", decimal(n.opsPerSecond()))
                            .number("p99_seconds", decimal(n.p99Seconds()))
                            .number("errors_per_second", decimal(n.errorsPerSecond()))
                            .number("forwarded_per_second", decimal(n.forwardedPerSecond())))
                .toList())
        .objects(
            "shards",
            groups.stream()
                .map(
                    g ->
                        new JsonObject()
                            .field("group", g.name())
                            .field("shard", g.shard() == null ? null : Long.valueOf(g.shard()))
                            .field("leader", g.leader())
                            .number("applied_per_second", decimal(g.appliedPerSecond()))
                            .field("apply_lag_max", g.applyLagMax())
                            .field("keys", g.keys())
                            .field("data_bytes", g.dataBytes()))
                .toList());
  }

  /** A rate with one decimal, or {@code -}. */
  static String rate(@Nullable Double perSecond) {
    return perSecond == null ? "-" : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** A latency in milliseconds ({@code 0.42ms}, {@code 3.1ms}) or, from a second on, seconds. */
  static String latency(@Nullable Double seconds) {
    if (seconds == null) {
      return "-";
    }
    if (seconds >= 1) {
      return String.format(Locale.ROOT, "%.2fs", seconds);
    }
    double ms = seconds * 1000;
    return String.format(Locale.ROOT, ms < 1 ? "%.2fms" : "%.1fms", ms);
  }

  /** Bytes in binary units with one decimal: {@code 512B}, {@code 1.5KiB}, {@code 20.3MiB}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + "B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
  }

  /** A JSON number to six significant digits, or null for null, NaN and infinities. */
  static @Nullable String decimal(@Nullable Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
    return rounded.signum() == 0 ? "0" : rounded.toPlainString();
  }
}
