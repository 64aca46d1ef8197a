package ringkv.cli;

import java.util.List;
import java.util.TreeMap;

/**
 * What {@code kvctl cluster status -o json} prints, made by kvctl's own {@link ClusterStatusReport}
 * (package-private, hence this package): the helm module's tests feed it to the chart's hook
 * script through a stub kvctl.
 */
public final class ClusterStatusJson {
  /**
   * A node of the report.
   *
   * @param inMap false for a node that reported but is not in the map (raft and api are "-")
   */
  public record Node(String id, boolean inMap, boolean up) {
    public static Node up(String id) {
      return new Node(id, true, true);
    }

    public static Node down(String id) {
      return new Node(id, true, false);
    }

    public static Node notInMap(String id) {
      return new Node(id, false, true);
    }
  }

  private ClusterStatusJson() {}

  /** One line of JSON: these nodes on their pods' headless names in namespace ringkv, one shard on the first ones. */
  public static String of(int replication, List<Node> nodes) {
    List<ClusterStatusReport.Node> reportNodes = nodes.stream()
        .map(n -> {
          String host = n.id() + ".ringkv-headless.ringkv.svc.cluster.local";
          return new ClusterStatusReport.Node(n.id(), n.inMap() ? host + ":7000" : "-", n.inMap() ? host + ":8000" : "-",
              n.up(), n.up() ? null : "no status reported", n.up() ? List.of("shard-0") : List.of(), List.of());
        })
        .toList();
    List<String> replicas = nodes.stream().filter(Node::inMap).map(Node::id).limit(replication).toList();
    var shard = new ClusterStatusReport.Shard(0, replicas, replicas.get(0), 256, 0L, 1L, null);
    var report = new ClusterStatusReport("ringkv", 7, 256, replication, replicas, replicas.get(0), reportNodes,
        List.of(shard), new PartitionMoveSummary(0, 0, 0, new TreeMap<>(), new TreeMap<>(), ""));
    return report.json().toString();
  }
}
