package ringkv.server.routing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardInfo;
import ringkv.raft.meta.ClusterMapEditor;
import ringkv.router.NodeId;
import ringkv.router.PartitionTable;
import ringkv.router.ShardId;

/**
 * This node's copy of the cluster map: the newest epoch it has seen, with lookups derived from
 * it. The map is saved to {@code <data-dir>/cluster-map.pb} on every change, so that a restarted
 * node knows where the meta group lives before it can ask it. Thread-safe; readers see one
 * consistent snapshot per call of {@link #current()}.
 */
public final class ClusterMapView {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMapView.class);

  /** One consistent version of the map and the lookups derived from it. */
  public record Snapshot(ClusterMap map, @Nullable PartitionTable table, Map<NodeId, NodeInfo> nodes, Map<ShardId, List<NodeId>> replicas) {
    static Snapshot of(ClusterMap map) {
      Map<NodeId, NodeInfo> nodes = map.getNodesList().stream()
          .collect(Collectors.toUnmodifiableMap(n -> NodeId.of(n.getId()), n -> n));
      Map<ShardId, List<NodeId>> replicas = map.getShardsList().stream()
          .collect(Collectors.toUnmodifiableMap(s -> ShardId.of(s.getId()),
              s -> s.getReplicasList().stream().map(NodeId::of).toList()));
      // a map being bootstrapped has no assignment yet
      PartitionTable table = map.getAssignmentCount() == 0 ? null : ClusterMapEditor.partitionTable(map);
      return new Snapshot(map, table, nodes, replicas);
    }

    public long epoch() {
      return map.getEpoch();
    }

    /** Whether every shard has its replicas and every partition an owner: requests can be served. */
    public boolean isPlaced() {
      return table != null && map.getShardsCount() > 0 && map.getShardsList().stream().allMatch(s -> s.getReplicasCount() > 0);
    }

    public List<ShardId> shards() {
      return map.getShardsList().stream().map(ShardInfo::getId).map(ShardId::of).toList();
    }

    public Optional<NodeInfo> node(NodeId id) {
      return Optional.ofNullable(nodes.get(id));
    }

    public List<NodeId> replicasOf(ShardId shard) {
      return replicas.getOrDefault(shard, List.of());
    }
  }

  private final Path file;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile @Nullable Snapshot current;

  private ClusterMapView(Path file, @Nullable ClusterMap map) {
    this.file = file;
    this.current = map == null ? null : Snapshot.of(map);
  }

  /** Loads the saved map of {@code dataDir}, if any. */
  public static ClusterMapView load(Path dataDir) throws IOException {
    Path file = dataDir.resolve("cluster-map.pb");
    ClusterMap map = Files.exists(file) ? ClusterMap.parseFrom(Files.readAllBytes(file)) : null;
    return new ClusterMapView(file, map);
  }

  public @Nullable Snapshot current() {
    return current;
  }

  /** The current map; throws {@link IllegalStateException} before the node has one. */
  public Snapshot require() {
    Snapshot s = current;
    if (s == null) {
      throw new IllegalStateException("this node has no cluster map yet");
    }
    return s;
  }

  public void onChange(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /** Adopts {@code map} if it is newer than the one held; returns whether it was. */
  public boolean update(ClusterMap map) {
    Snapshot next;
    synchronized (this) {
      Snapshot s = current;
      if (s != null && s.epoch() >= map.getEpoch()) {
        return false;
      }
      next = Snapshot.of(map);
      save(map);
      current = next;
    }
    LOG.info("cluster map adopted epoch={} nodes={} shards={} placed={}", next.epoch(), map.getNodesCount(),
        map.getShardsCount(), next.isPlaced());
    listeners.forEach(l -> l.accept(next));
    return true;
  }

  private void save(ClusterMap map) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(temp, map.toByteArray());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The meta group is the source of truth; a node without its saved copy re-reads it.
      LOG.warn("could not save the cluster map to {}: {}", file, e.toString());
    }
  }
}
