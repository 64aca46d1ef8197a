package ringkv.server.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.ratis.server.RaftServer.Division;
import ringkv.router.ShardId;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.ClusterMapView;

/**
 * Whether this node is ready to take traffic ({@code /readyz}, the Kubernetes readiness probe):
 * it serves its API, knows the cluster map, hosts every group the map gives it, and each of those
 * replicas knows its leader and has applied to within {@code maxLagEntries} of the group's commit
 * index. A node that restarted and is still catching up is not ready, nor is a draining one.
 *
 * <p>The group's commit index comes from the replica's commit infos: a follower learns the
 * leader's commit index with every append, so it sees how far behind it is.
 */
public final class Readiness {
  private final HostedGroups groups;
  private final long maxLagEntries;
  private final BooleanSupplier apiServing;
  private final BooleanSupplier draining;

  public Readiness(HostedGroups groups, long maxLagEntries, BooleanSupplier apiServing, BooleanSupplier draining) {
    this.groups = groups;
    this.draining = draining;
    this.maxLagEntries = maxLagEntries;
    this.apiServing = apiServing;
  }

  /** The verdict with every reason it is not ready (empty when ready). */
  public record Report(boolean ready, List<String> problems) {
    public String json() {
      StringBuilder out = new StringBuilder("{\"ready\":").append(ready).append(",\"problems\":[");
      for (int i = 0; i < problems.size(); i++) {
        out.append(i == 0 ? "" : ",").append('"').append(problems.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
      return out.append("]}").toString();
    }
  }

  public Report check() {
    List<String> problems = new ArrayList<>();
    if (!apiServing.getAsBoolean()) {
      problems.add("the node is starting");
    }
    if (draining.getAsBoolean()) {
      // a draining node refuses KV requests: load balancers must send them elsewhere
      problems.add("the node is draining (about to stop)");
    }
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null) {
      problems.add("no cluster map yet");
      return new Report(false, problems);
    }
    if (!map.isPlaced()) {
      problems.add("shards are not placed yet (the cluster has fewer nodes than its replication factor)");
    }
    if (map.map().getMetaMembersList().contains(groups.self().value())) {
      checkReplica("meta", groups.division(groups.metaGroupId()), problems);
    }
    for (ShardId shard : map.shards()) {
      if (map.replicasOf(shard).contains(groups.self())) {
        checkReplica("shard-" + shard.value(), groups.shardDivision(shard), problems);
      }
    }
    return new Report(problems.isEmpty(), problems);
  }

  private void checkReplica(String name, Optional<Division> replica, List<String> problems) {
    if (replica.isEmpty()) {
      problems.add(name + ": replica not created yet");
      return;
    }
    Division division = replica.get();
    if (division.getInfo().getLeaderId() == null) {
      problems.add(name + ": no known leader");
      return;
    }
    long committed = GroupMetrics.groupCommitIndex(division);
    long applied = division.getInfo().getLastAppliedIndex();
    if (committed - applied > maxLagEntries) {
      problems.add(name + ": catching up, applied " + applied + " of " + committed + " (more than " + maxLagEntries
          + " entries behind)");
    }
  }
}
