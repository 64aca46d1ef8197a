package ringkv.client.backup;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.BackupChunk;
import ringkv.api.v1.BackupManifest;
import ringkv.api.v1.BackupShardRequest;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.ShardBackupFile;
import ringkv.api.v1.ShardBackupInfo;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.ShardLeader;
import ringkv.client.BatchResult;
import ringkv.client.KvClient;
import ringkv.client.Scan;

/**
 * Backup of a whole cluster to a directory, and restore of such a directory into a cluster.
 *
 * <p>A backup holds, per shard, a snapshot file streamed from one of the shard's replicas, taken
 * after that replica applied every write acknowledged before the backup reached the shard; and
 * the cluster map. Shards are backed up one after another, so a backup is consistent per shard,
 * not one point in time across shards (like a scan).
 *
 * <p>A restore reads the files and writes every key and value into the target cluster with batch
 * puts, so the target may have any number of nodes and shards: keys are routed by the target's own
 * map. Keys and values are restored; revisions and versions start afresh in the target, because
 * they are positions in the source shards' logs (docs/operations.md).
 */
public final class ClusterBackup {
  private static final int RESTORE_BATCH_ITEMS = 1_000;
  private static final long RESTORE_BATCH_BYTES = 3L << 20;
  private static final long CALL_TIMEOUT_MINUTES = 30;

  private ClusterBackup() {}

  /** Summary of a restore. */
  public record RestoreReport(long keys, long bytes, int shardFiles) {}

  /**
   * Backs up the cluster reachable through {@code endpoints} into {@code dir} (created; must be
   * empty or absent).
   *
   * @param progress receives one line per shard
   */
  public static BackupManifest backup(List<String> endpoints, Path dir, Consumer<String> progress) throws IOException {
    prepareEmptyDir(dir);
    long started = System.currentTimeMillis();
    GetClusterMapResponse mapReply = clusterMap(endpoints);
    ClusterMap map = mapReply.getMap();
    BackupManifest.Builder manifest = BackupManifest.newBuilder()
        .setFormatVersion(BackupDirectory.FORMAT_VERSION)
        .setClusterId(map.getClusterId()).setEpoch(map.getEpoch()).setPartitionCount(map.getPartitionCount())
        .setStartedAtMillis(started).setClusterMap(map);
    for (ShardInfo shard : map.getShardsList()) {
      ShardBackupFile file = backupShard(dir, map, shard, leaderOf(mapReply, shard.getId()));
      manifest.addShards(file);
      progress.accept(String.format("shard %d: %d keys, %d bytes, index %d, from %s", file.getShardId(),
          file.getKeyCount(), file.getSizeBytes(), file.getIndex(), file.getSourceNodeId()));
    }
    manifest.setFinishedAtMillis(System.currentTimeMillis());
    BackupManifest done = manifest.build();
    BackupDirectory.writeManifest(dir, done);
    return done;
  }

  /**
   * Writes every key and value of the backup in {@code dir} into the cluster of {@code client}.
   * Refuses a cluster that already holds keys unless {@code intoNonEmpty}; then keys of the
   * backup overwrite keys of the same name and other keys stay.
   */
  public static RestoreReport restore(KvClient client, Path dir, boolean intoNonEmpty, Consumer<String> progress)
      throws IOException {
    BackupManifest manifest = BackupDirectory.verify(dir);
    if (!intoNonEmpty && !client.scan(Scan.range(ByteString.EMPTY, ByteString.EMPTY).withLimit(1).withKeysOnly()).kvs().isEmpty()) {
      throw new IOException("the target cluster already holds keys; restore into an empty cluster, or allow it explicitly");
    }
    long keys = 0;
    long bytes = 0;
    for (ShardBackupFile shard : manifest.getShardsList()) {
      Map<ByteString, ByteString> batch = new LinkedHashMap<>();
      long[] batchBytes = {0};
      long[] shardKeys = {0, 0};
      SnapshotFile.read(dir.resolve(shard.getFile()), record -> {
        if (!record.hasKv()) {
          return;
        }
        batch.put(record.getKv().getKey(), record.getKv().getValue());
        batchBytes[0] += record.getKv().getKey().size() + record.getKv().getValue().size();
        if (batch.size() >= RESTORE_BATCH_ITEMS || batchBytes[0] >= RESTORE_BATCH_BYTES) {
          shardKeys[0] += batch.size();
          shardKeys[1] += batchBytes[0];
          putAll(client, batch);
          batchBytes[0] = 0;
        }
      });
      shardKeys[0] += batch.size();
      shardKeys[1] += batchBytes[0];
      putAll(client, batch);
      keys += shardKeys[0];
      bytes += shardKeys[1];
      progress.accept(String.format("shard %d: %d keys restored", shard.getShardId(), shardKeys[0]));
    }
    return new RestoreReport(keys, bytes, manifest.getShardsCount());
  }

  private static void putAll(KvClient client, Map<ByteString, ByteString> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    BatchResult result = client.batchPut(batch);
    if (!result.allOk()) {
      BatchResult.Item failed = result.items().stream().filter(i -> !i.ok()).findFirst().orElseThrow();
      throw new IOException("restore stopped: writing key " + failed.key().toStringUtf8() + " failed: " + failed.error()
          + " (the restore can be run again: it only puts)");
    }
    batch.clear();
  }

  private static ShardBackupFile backupShard(Path dir, ClusterMap map, ShardInfo shard, String leaderNode) throws IOException {
    Set<String> candidates = new LinkedHashSet<>();
    if (!leaderNode.isEmpty()) {
      candidates.add(leaderNode);
    }
    candidates.addAll(shard.getReplicasList());
    List<String> failures = new ArrayList<>();
    for (String nodeId : candidates) {
      NodeInfo node = map.getNodesList().stream().filter(n -> n.getId().equals(nodeId)).findFirst().orElse(null);
      if (node == null) {
        continue;
      }
      try {
        return fetchShard(dir, shard.getId(), node.getHost() + ":" + node.getApiPort());
      } catch (StatusRuntimeException | IOException e) {
        failures.add(nodeId + ": " + e.getMessage());
      }
    }
    throw new IOException("no replica of shard " + shard.getId() + " could be backed up: " + failures);
  }

  private static ShardBackupFile fetchShard(Path dir, int shardId, String endpoint) throws IOException {
    String name = BackupDirectory.shardFileName(shardId);
    Path temp = dir.resolve(name + ".part");
    MessageDigest sha = BackupDirectory.newSha256();
    ShardBackupInfo info = null;
    ManagedChannel channel = Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create())
        .maxInboundMessageSize(8 << 20).build();
    try (OutputStream out = Files.newOutputStream(temp)) {
      Iterator<BackupChunk> chunks = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)
          .backupShard(BackupShardRequest.newBuilder().setShardId(shardId).build());
      while (chunks.hasNext()) {
        BackupChunk chunk = chunks.next();
        if (chunk.hasInfo()) {
          info = chunk.getInfo();
        } else {
          chunk.getData().writeTo(out);
          sha.update(chunk.getData().asReadOnlyByteBuffer());
        }
      }
    } finally {
      channel.shutdownNow();
    }
    if (info == null) {
      throw new IOException("node " + endpoint + " sent no backup info for shard " + shardId);
    }
    BackupDirectory.fsync(temp);
    SnapshotFile.Summary summary = SnapshotFile.verify(temp);
    if (summary.trailer().getCrc32C() != info.getCrc32C() || Files.size(temp) != info.getSizeBytes()) {
      throw new IOException("shard " + shardId + " backup from " + endpoint + " arrived damaged (size or checksum differ)");
    }
    Path target = dir.resolve(name);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    BackupDirectory.fsync(dir);
    return ShardBackupFile.newBuilder()
        .setShardId(shardId).setFile(name).setTerm(info.getTerm()).setIndex(info.getIndex())
        .setSizeBytes(info.getSizeBytes()).setKeyCount(info.getKeyCount()).setCrc32C(info.getCrc32C())
        .setSha256(HexFormat.of().formatHex(sha.digest())).setSourceNodeId(info.getNodeId())
        .build();
  }

  private static GetClusterMapResponse clusterMap(List<String> endpoints) throws IOException {
    List<String> failures = new ArrayList<>();
    for (String endpoint : endpoints) {
      ManagedChannel channel = Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create()).build();
      try {
        return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .getClusterMap(GetClusterMapRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        failures.add(endpoint + ": " + e.getStatus());
      } finally {
        channel.shutdownNow();
      }
    }
    throw new IOException("no node answered with the cluster map: " + failures);
  }

  private static String leaderOf(GetClusterMapResponse reply, int shardId) {
    return reply.getLeadersList().stream().filter(l -> l.getShardId() == shardId).map(ShardLeader::getNodeId)
        .findFirst().orElse("");
  }

  private static void prepareEmptyDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IOException("backup dir " + dir + " is not empty; give a new or empty directory");
      }
    }
  }
}
