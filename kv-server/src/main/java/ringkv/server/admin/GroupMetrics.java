package ringkv.server.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.RaftServer.Division;
import ringkv.raft.SnapshottingStateMachine;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.ShardId;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * Per-group gauges of this node's replicas (each shard, and the meta group as
 * {@code shard="meta"}): role, term, commit and applied index, apply lag, keys, bytes, sessions,
 * snapshots, log size, partitions. Registered once per group as the node starts hosting it; the
 * values are read from the live replica at scrape time, NaN while it is not hosted here.
 */
public final class GroupMetrics {
  private final MeterRegistry registry;
  private final HostedGroups groups;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  // Micrometer holds gauge state objects weakly; these suppliers must live as long as the node
  private final List<Object> strongRefs = new CopyOnWriteArrayList<>();

  public GroupMetrics(MeterRegistry registry, HostedGroups groups) {
    this.registry = registry;
    this.groups = groups;
    // what this node's copy of the map holds: every node reports the cluster's moves, not only the
    // meta leader that drives them
    Gauge.builder("ringkv_migrations_in_flight", groups, g -> {
          var snapshot = g.view().current();
          return snapshot == null ? 0 : snapshot.map().getPartitionMovesCount();
        }).strongReference(true)
        .description("partition moves in progress in the cluster, as this node's cluster map holds them")
        .register(registry);
  }

  /** Registers the gauges of groups hosted here that do not have them yet; cheap to call often. */
  public void registerNewGroups() {
    if (groups.division(groups.metaGroupId()).isPresent() && registered.add("meta")) {
      register("meta", () -> groups.division(groups.metaGroupId()), false);
    }
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null) {
      return;
    }
    for (ShardId shard : map.shards()) {
      String id = Integer.toString(shard.value());
      if (groups.shardDivision(shard).isPresent() && registered.add(id)) {
        register(id, () -> groups.shardDivision(shard), true);
        Gauge.builder("ringkv_shard_partitions", () -> partitionsOf(shard)).strongReference(true).tags(Tags.of("shard", id))
            .description("partitions the cluster map assigns to the shard").register(registry);
      }
    }
  }

  private double partitionsOf(ShardId shard) {
    ClusterMapView.Snapshot map = groups.view().current();
    return map == null ? Double.NaN : map.map().getAssignmentList().stream().filter(s -> s == shard.value()).count();
  }

  private void register(String shard, java.util.function.Supplier<Optional<Division>> replica, boolean isShard) {
    strongRefs.add(replica);
    Tags tags = Tags.of("shard", shard);
    gauge("ringkv_shard_is_leader", "1 if this node's replica leads the group, else 0", tags, replica,
        d -> d.getInfo().isLeader() ? 1 : 0);
    gauge("ringkv_shard_term", "the replica's current Raft term; each increase is an election", tags, replica,
        d -> d.getInfo().getCurrentTerm());
    gauge("ringkv_shard_commit_index", "highest log index known committed in the group", tags, replica,
        GroupMetrics::groupCommitIndex);
    gauge("ringkv_shard_applied_index", "last log index applied by this replica", tags, replica,
        d -> d.getInfo().getLastAppliedIndex());
    gauge("ringkv_shard_apply_lag_entries", "commit index minus applied index on this replica", tags, replica,
        d -> groupCommitIndex(d) - d.getInfo().getLastAppliedIndex());
    gauge("ringkv_shard_log_size_bytes", "bytes of the replica's Raft log segments on disk", tags, replica,
        d -> ((SnapshottingStateMachine) d.getStateMachine()).logSizeBytes());
    gauge("ringkv_shard_last_snapshot_bytes", "size of the newest snapshot this replica wrote", tags, replica,
        d -> ((SnapshottingStateMachine) d.getStateMachine()).lastSnapshotBytes());
    FunctionCounter.builder("ringkv_shard_snapshots_total", replica,
            r -> r.get().map(d -> (double) ((SnapshottingStateMachine) d.getStateMachine()).snapshotsTaken()).orElse(0.0))
        .tags(tags).description("snapshots this replica wrote since the node started").register(registry);
    FunctionCounter.builder("ringkv_shard_snapshot_seconds_total", replica,
            r -> r.get().map(d -> ((SnapshottingStateMachine) d.getStateMachine()).snapshotSecondsTotal()).orElse(0.0))
        .tags(tags).description("time this replica spent writing snapshots").register(registry);
    if (isShard) {
      gauge("ringkv_shard_keys", "keys held by the shard (this replica)", tags, replica,
          d -> ((KvStateMachine) d.getStateMachine()).keyCount());
      gauge("ringkv_shard_data_bytes", "bytes of keys plus values held by the shard (this replica)", tags, replica,
          d -> ((KvStateMachine) d.getStateMachine()).dataBytes());
      gauge("ringkv_shard_client_sessions", "exactly-once client sessions in the shard's table", tags, replica,
          d -> ((KvStateMachine) d.getStateMachine()).sessionCount());
    }
  }

  private void gauge(String name, String help, Tags tags, java.util.function.Supplier<Optional<Division>> replica,
      ToDoubleFunction<Division> value) {
    Gauge.builder(name, replica, r -> r.get().map(value::applyAsDouble).orElse(Double.NaN))
        .tags(tags).description(help).register(registry);
  }

  /**
   * The group's commit index as this replica knows it: a follower learns the leader's with every
   * append (commit infos), so this shows how far behind the replica is.
   */
  static long groupCommitIndex(Division d) {
    return d.getCommitInfos().stream().mapToLong(CommitInfoProto::getCommitIndex).max()
        .orElse(d.getRaftLog().getLastCommittedIndex());
  }
}
