package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer.Division;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.BackupChunk;
import ringkv.api.v1.BackupShardRequest;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ReplicaSnapshot;
import ringkv.api.v1.ShardBackupInfo;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;
import ringkv.raft.config.RaftTuning;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.RaftClients;
import ringkv.server.routing.ClusterMapView;
import ringkv.server.routing.CommandSubmitter;

/**
 * Snapshots on demand ({@code kvctl snapshot}) and shard backups ({@code kvctl backup}).
 *
 * <p>A backup of a shard must hold every write acknowledged before it was asked for. So the
 * node first does a linearizable read on the shard (its answer carries the leader's applied index
 * at that moment), waits until its own replica has applied that far, has that replica take a
 * snapshot (Ratis runs it on the apply thread, so the file is one point of the log), and streams
 * the file after checking its checksum.
 */
public final class SnapshotService {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SNAPSHOT_RETRY = Duration.ofMillis(200);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  private static final int CHUNK_BYTES = 1 << 20;

  private final HostedGroups groups;
  private final CommandSubmitter submitter;
  private final RaftTuning tuning;

  public SnapshotService(HostedGroups groups, CommandSubmitter submitter, RaftTuning tuning) {
    this.groups = groups;
    this.submitter = submitter;
    this.tuning = tuning;
  }

  /**
   * Asks every replica of the group to snapshot now; a replica that fails is reported, not fatal.
   * For a shard, each replica's snapshot holds every write acknowledged before the request: the
   * node reads the leader's applied index first and asks each replica again until its snapshot
   * reaches it (a lagging follower catches up meanwhile, and a request that arrives while an
   * automatic snapshot is being written gets that snapshot's older index the first time; see
   * kv-raft {@code BackgroundSnapshots}).
   */
  public TakeSnapshotResponse takeSnapshot(TakeSnapshotRequest request) {
    ClusterMapView.Snapshot map = groups.view().require();
    RaftGroup group;
    long atLeast;
    switch (request.getGroupCase()) {
      case META -> {
        group = groups.metaGroup(map);
        atLeast = -1; // the meta group snapshots on its apply thread: its answer is the state when asked
      }
      case SHARD_ID -> {
        ShardId shard = existingShard(map, request.getShardId());
        group = groups.shardGroup(map, shard);
        atLeast = leaderAppliedIndexForSnapshot(shard);
      }
      default -> throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "group", 0,
          "name the group to snapshot: shard_id or meta");
    }
    TakeSnapshotResponse.Builder response = TakeSnapshotResponse.newBuilder();
    RaftClient client = RaftClients.forAdmin(group, tuning);
    try {
      for (RaftPeer peer : group.getPeers()) {
        response.addReplicas(snapshotOn(client, peer.getId(), atLeast));
      }
    } finally {
      RaftClients.closeBounded(client);
    }
    return response.build();
  }

  private ReplicaSnapshot snapshotOn(RaftClient client, RaftPeerId peer, long atLeast) {
    ReplicaSnapshot.Builder result = ReplicaSnapshot.newBuilder().setNodeId(peer.toString()).setIndex(-1);
    try {
      result.setIndex(snapshotAtLeast(client, peer, atLeast));
    } catch (IOException | RuntimeException e) {
      result.setError(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.setError(e.toString());
    }
    return result.build();
  }

  /** The leader's applied index, read linearizably: every write acknowledged before now is at or below it. */
  private long leaderAppliedIndex(ShardId shard) throws ExecutionException, TimeoutException, InterruptedException {
    return submitter.read(shard, ReadQuery.newBuilder().setGet(GetQuery.getDefaultInstance()).build())
        .get(CATCH_UP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).getAppliedIndex();
  }

  private long leaderAppliedIndexForSnapshot(ShardId shard) {
    try {
      return leaderAppliedIndex(shard);
    } catch (ExecutionException e) {
      // the read's own error (no leader, not ready) is the answer the caller needs
      throw e.getCause() instanceof RuntimeException cause ? cause : new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new RequestFailedException(ErrorReason.TIMEOUT, "no linearizable read on " + shard + " within "
          + CATCH_UP_TIMEOUT.toSeconds() + " s, so the write position to snapshot is unknown", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  /**
   * Has {@code peer} take a snapshot, asking again (every {@link #SNAPSHOT_RETRY}) until the
   * snapshot's index is at least {@code atLeast} or {@link #SNAPSHOT_TIMEOUT} has passed.
   *
   * @return the index of the replica's snapshot
   */
  private static long snapshotAtLeast(RaftClient client, RaftPeerId peer, long atLeast)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SNAPSHOT_TIMEOUT.toNanos();
    for (;;) {
      long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      RaftClientReply reply = client.getSnapshotManagementApi(peer).create(true, remainingMillis);
      if (!reply.isSuccess()) {
        throw new IOException("snapshot on " + peer + " failed: " + reply.getException(), reply.getException());
      }
      if (reply.getLogIndex() >= atLeast) {
        return reply.getLogIndex();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("snapshot on " + peer + " reached index " + reply.getLogIndex() + ", not " + atLeast
            + ", within " + SNAPSHOT_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(SNAPSHOT_RETRY.toMillis());
    }
  }

  /** Streams a snapshot of the shard (see the class comment); errors go to the observer. */
  public void backupShard(BackupShardRequest request, ServerCallStreamObserver<BackupChunk> out) throws Exception {
    ClusterMapView.Snapshot map = groups.view().require();
    ShardId shard = existingShard(map, request.getShardId());
    Division division = groups.shardDivision(shard).orElseThrow(() -> new RequestFailedException(ErrorReason.INVALID_FIELD,
        "node " + groups.self() + " hosts no replica of " + shard + "; ask one of " + map.replicasOf(shard), false));
    KvStateMachine machine = (KvStateMachine) division.getStateMachine();

    long committed = leaderAppliedIndex(shard);
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    while (machine.appliedIndex() < committed) {
      if (System.nanoTime() > deadline) {
        throw new RequestFailedException(ErrorReason.TIMEOUT, shard + " replica on " + groups.self() + " applied "
            + machine.appliedIndex() + " of " + committed + " within " + CATCH_UP_TIMEOUT.toSeconds() + " s", false);
      }
      Thread.sleep(5);
    }
    RaftClient client = RaftClients.forAdmin(groups.shardGroup(map, shard), tuning);
    try {
      snapshotAtLeast(client, division.getId(), committed);
    } finally {
      RaftClients.closeBounded(client);
    }
    for (int attempt = 0; ; attempt++) {
      SnapshotInfo latest = machine.getLatestSnapshot();
      if (latest == null || latest.getIndex() < committed) {
        throw new IOException(shard + " has no snapshot at or after index " + committed);
      }
      Path file = latest.getFiles().get(0).getPath();
      try {
        stream(shard, file, out);
        LOG.info("backup streamed shard={} index={} file={}", shard, latest.getIndex(), file.getFileName());
        return;
      } catch (NoSuchFileException e) {
        if (attempt >= 2) {
          throw e; // a newer snapshot replaced it every time: give up rather than loop
        }
      }
    }
  }

  private void stream(ShardId shard, Path file, ServerCallStreamObserver<BackupChunk> out) throws IOException {
    // Opening first pins the file (a retention clean-up may unlink it meanwhile, the bytes stay).
    try (InputStream in = Files.newInputStream(file)) {
      SnapshotFile.Summary verified = SnapshotFile.verify(file);
      SnapshotHeader header = verified.header();
      out.onNext(BackupChunk.newBuilder().setInfo(ShardBackupInfo.newBuilder()
          .setShardId(shard.value()).setNodeId(groups.self().value())
          .setTerm(header.getTerm()).setIndex(header.getIndex())
          .setSizeBytes(Files.size(file)).setKeyCount(verified.keyCount()).setCrc32C(verified.trailer().getCrc32C())).build());
      byte[] buffer = new byte[CHUNK_BYTES];
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        out.onNext(BackupChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
      }
    }
    out.onCompleted();
  }

  static ShardId existingShard(ClusterMapView.Snapshot map, int id) {
    ShardId shard = ShardId.of(id);
    List<ShardId> shards = map.shards().stream().toList();
    if (!shards.contains(shard)) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "shard_id", 0,
          "shard " + id + " does not exist; the cluster has shards " + shards.stream().map(ShardId::value).toList());
    }
    return shard;
  }
}
