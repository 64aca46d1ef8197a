package ringkv.server.admin.dashboard;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.metrics.impl.DefaultTimekeeperImpl;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer.Division;
import org.apache.ratis.server.metrics.RaftServerMetricsImpl;
import org.jspecify.annotations.Nullable;
import ringkv.router.ShardId;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * This node's request rates and p99 latencies between two samples of its meters, for
 * {@code /api/stats/local}.
 *
 * <p>Per node: the gRPC timer {@code grpc.server.processing.duration} of the {@code ringkv.v1.KV}
 * service (every method and code). Its histogram buckets are cumulative since start, so the
 * bucket counts' differences between two samples are the window's own histogram, and its p99 is
 * the window's, not the process lifetime's.
 *
 * <p>Per shard: the gRPC timers carry no shard, so the numbers come from Ratis' own request timers
 * of this node's replica (write, read and stale-read requests, timed where Ratis handles them:
 * the leader for writes and linearizable reads). Call counts give exact rates; their p99 is Ratis'
 * (a Dropwizard decaying sample biased to the last ~5 minutes), shown only when the window had
 * calls. A replica that Ratis recreated (its counts went down) counts from zero.
 *
 * <p>Implementation notes: samples are taken when someone asks, not by a thread. A sample younger
 * than {@link #MIN_WINDOW_NANOS} is not replaced: callers within that time (several dashboards, or
 * several nodes' {@code /api/stats}) get the same answer, so no caller shrinks another's window.
 * Synchronized: one sample at a time.
 */
final class LocalStats {
  static final String GRPC_TIMER = "grpc.server.processing.duration";
  static final String KV_SERVICE = "ringkv.v1.KV";
  static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(900);

  private static final RaftClientRequest.Type WRITE = RaftClientRequest.writeRequestType();
  private static final RaftClientRequest.Type READ = RaftClientRequest.readRequestType();
  private static final RaftClientRequest.Type STALE_READ = RaftClientRequest.staleReadRequestType(0);

  private final HostedGroups groups;
  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  private @Nullable Sample previous;
  private @Nullable NodeStats last;

  LocalStats(HostedGroups groups, MeterRegistry registry, LongSupplier nanoTime) {
    this.groups = groups;
    this.registry = registry;
    this.nanoTime = nanoTime;
  }

  synchronized NodeStats current() {
    long now = nanoTime.getAsLong();
    Sample before = previous;
    NodeStats cached = last;
    if (before != null && cached != null && now - before.atNanos < MIN_WINDOW_NANOS) {
      return cached;
    }
    Sample sample = sample(now);
    NodeStats stats = before == null ? warmingUp(sample) : between(before, sample);
    previous = sample;
    last = stats;
    return stats;
  }

  private record GrpcCounts(long count, boolean isError, double[] boundsMs, double[] cumulative) {}

  private record ShardCounts(String role, long writes, long reads, double p99WriteMs, double p99ReadMs) {}

  private record Sample(long atNanos, Map<Meter.Id, GrpcCounts> grpc, Map<Integer, ShardCounts> shards) {}

  private Sample sample(long now) {
    Map<Meter.Id, GrpcCounts> grpc = new HashMap<>();
    for (Timer timer : registry.find(GRPC_TIMER).tag("service", KV_SERVICE).timers()) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      CountAtBucket[] buckets = snapshot.histogramCounts();
      double[] bounds = new double[buckets.length];
      double[] counts = new double[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
        counts[i] = buckets[i].count();
      }
      String code = timer.getId().getTag("code");
      if (code == null) {
        code = timer.getId().getTag("statusCode");
      }
      grpc.put(timer.getId(), new GrpcCounts(snapshot.count(), code != null && !code.equals("OK"), bounds, counts));
    }
    Map<Integer, ShardCounts> shards = new TreeMap<>();
    ClusterMapView.Snapshot map = groups.view().current();
    if (map != null) {
      for (ShardId shard : map.shards()) {
        groups.shardDivision(shard).ifPresent(d -> shards.put(shard.value(), shardCounts(d)));
      }
    }
    return new Sample(now, grpc, shards);
  }

  private static ShardCounts shardCounts(Division division) {
    String role;
    try {
      role = division.getInfo().getCurrentRole().name();
    } catch (RuntimeException e) {
      role = "UNKNOWN";
    }
    var write = ratisTimer(division, WRITE);
    var read = ratisTimer(division, READ);
    var staleRead = ratisTimer(division, STALE_READ);
    long reads = (read == null ? 0 : read.getCount()) + (staleRead == null ? 0 : staleRead.getCount());
    double p99Read = Math.max(p99Ms(read), p99Ms(staleRead));
    return new ShardCounts(role, write == null ? 0 : write.getCount(), reads, p99Ms(write), p99Read);
  }

  /** Ratis' timer of one request type on this replica; null under another metrics implementation. */
  private static org.apache.ratis.thirdparty.com.codahale.metrics.@Nullable Timer ratisTimer(Division division,
      RaftClientRequest.Type type) {
    try {
      if (division.getRaftServerMetrics() instanceof RaftServerMetricsImpl metrics
          && metrics.getClientRequestTimer(type) instanceof DefaultTimekeeperImpl keeper) {
        return keeper.getTimer();
      }
    } catch (RuntimeException e) {
      // a replica being closed: no numbers this time
    }
    return null;
  }

  private static double p99Ms(org.apache.ratis.thirdparty.com.codahale.metrics.@Nullable Timer timer) {
    return timer == null || timer.getCount() == 0 ? 0 : timer.getSnapshot().get99thPercentile() / 1e6;
  }

  private NodeStats warmingUp(Sample sample) {
    List<NodeStats.ShardStats> shards = new ArrayList<>();
    sample.shards.forEach((id, s) -> shards.add(new NodeStats.ShardStats(id, s.role(), 0, 0, null, null)));
    return new NodeStats(groups.self().value(), 0, true, 0, 0, null, shards, MoveStats.of(registry),
        NodeStats.DataMemory.of(registry));
  }

  private NodeStats between(Sample before, Sample after) {
    double seconds = Math.max(1e-3, (after.atNanos - before.atNanos) / 1e9);
    long calls = 0;
    long errors = 0;
    TreeMap<Double, Double> window = new TreeMap<>();
    for (Map.Entry<Meter.Id, GrpcCounts> e : after.grpc.entrySet()) {
      GrpcCounts now = e.getValue();
      GrpcCounts then = before.grpc.get(e.getKey());
      boolean reset = then == null || then.count() > now.count() || then.cumulative().length != now.cumulative().length;
      long delta = reset ? now.count() : now.count() - then.count();
      calls += delta;
      if (now.isError()) {
        errors += delta;
      }
      for (int i = 0; i < now.boundsMs().length; i++) {
        double d = reset ? now.cumulative()[i] : now.cumulative()[i] - then.cumulative()[i];
        window.merge(now.boundsMs()[i], d, Double::sum);
      }
    }
    List<NodeStats.ShardStats> shards = new ArrayList<>();
    after.shards.forEach((id, now) -> {
      ShardCounts then = before.shards.get(id);
      long writes = then == null || then.writes() > now.writes() ? now.writes() : now.writes() - then.writes();
      long reads = then == null || then.reads() > now.reads() ? now.reads() : now.reads() - then.reads();
      shards.add(new NodeStats.ShardStats(id, now.role(), writes / seconds, reads / seconds,
          writes > 0 ? round(now.p99WriteMs()) : null, reads > 0 ? round(now.p99ReadMs()) : null));
    });
    return new NodeStats(groups.self().value(), round(seconds), false, calls / seconds, errors / seconds,
        p99(window, calls), shards, MoveStats.of(registry), NodeStats.DataMemory.of(registry));
  }

  /** The upper bound of the bucket holding the 99th percentile; the last bound if it lies beyond. */
  private static @Nullable Double p99(TreeMap<Double, Double> cumulativeByBound, long calls) {
    if (calls == 0 || cumulativeByBound.isEmpty()) {
      return null;
    }
    double target = 0.99 * calls;
    for (Map.Entry<Double, Double> bucket : cumulativeByBound.entrySet()) {
      if (bucket.getValue() >= target) {
        return round(bucket.getKey());
      }
    }
    return round(cumulativeByBound.lastKey());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
