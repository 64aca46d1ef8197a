package ringkv.raft.config;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Raft settings of a node, and the one place that turns them into Ratis keys.
 *
 * <p>Defaults are for shared 2-core machines (guides/ratis.md section 7): 1 s/2 s election
 * timeouts so a CPU-starved JVM does not cause leader churn, with the leader lease on so that
 * linearizable reads do not pay a heartbeat round for the longer timeout. fsync is always on:
 * there is no setting here that acknowledges a write before it is on disk.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param rpcRequestTimeout server-to-server request timeout
 * @param leaderLeaseEnabled serve linearizable reads on the leader without a heartbeat round
 *     while its lease holds
 * @param logSegmentSizeMax size of one log segment file; with {@link #CACHED_CLOSED_SEGMENTS} it also
 *     bounds the log entries a group keeps in memory
 * @param snapshotAutoTriggerEntries take a snapshot every this many log entries
 * @param snapshotRetention snapshot files kept per group
 * @param entriesInFlight log entries of one shard that a node replicates at once; commands that
 *     arrive meanwhile are packed into the next entry (group commit). 1 measured best on 2 cores
 *     (docs/benchmarks.md): the fewer entries, the more commands share each entry's fixed cost.
 */
public record RaftTuning(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration rpcRequestTimeout,
    boolean leaderLeaseEnabled,
    long logSegmentSizeMax,
    long snapshotAutoTriggerEntries,
    int snapshotRetention,
    int entriesInFlight) {

  public static final RaftTuning DEFAULTS =
      new RaftTuning(
          Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), true,
          32L << 20, 100_000, 2, 1);

  /**
   * Closed log segments whose entries a group keeps in memory besides the open segment (Ratis'
   * default is 6 of them, up to 200 MB per group). A node hosts a replica of many shards: with
   * the defaults the cached log of three groups filled a 512 MB heap and G1 collected back to back
   * (docs/benchmarks.md, "Making it fast"). Entries evicted from the cache are read from the segment
   * files when a lagging follower needs them.
   */
  public static final int CACHED_CLOSED_SEGMENTS = 1;

  public RaftTuning {
    if (electionTimeoutMin.toMillis() < 50) {
      throw new IllegalArgumentException("electionTimeoutMin must be >= 50ms, got " + electionTimeoutMin);
    }
    if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException(
          "electionTimeoutMax (" + electionTimeoutMax + ") must be > electionTimeoutMin (" + electionTimeoutMin + ")");
    }
    if (logSegmentSizeMax < (1 << 20)) {
      throw new IllegalArgumentException("logSegmentSizeMax must be >= 1 MiB, got " + logSegmentSizeMax);
    }
    if (snapshotAutoTriggerEntries < 1) {
      throw new IllegalArgumentException("snapshotAutoTriggerEntries must be >= 1, got " + snapshotAutoTriggerEntries);
    }
    if (snapshotRetention < 1) {
      throw new IllegalArgumentException("snapshotRetention must be >= 1, got " + snapshotRetention);
    }
    if (entriesInFlight < 1 || entriesInFlight > 1024) {
      throw new IllegalArgumentException("entriesInFlight must be between 1 and 1024, got " + entriesInFlight);
    }
  }

  public RaftTuning withElectionTimeout(Duration min, Duration max) {
    return new RaftTuning(min, max, rpcRequestTimeout, leaderLeaseEnabled, logSegmentSizeMax,
        snapshotAutoTriggerEntries, snapshotRetention, entriesInFlight);
  }

  public RaftTuning withSnapshotAutoTriggerEntries(long entries) {
    return new RaftTuning(electionTimeoutMin, electionTimeoutMax, rpcRequestTimeout, leaderLeaseEnabled,
        logSegmentSizeMax, entries, snapshotRetention, entriesInFlight);
  }

  public RaftTuning withLogSegmentSizeMax(long bytes) {
    return new RaftTuning(electionTimeoutMin, electionTimeoutMax, rpcRequestTimeout, leaderLeaseEnabled,
        bytes, snapshotAutoTriggerEntries, snapshotRetention, entriesInFlight);
  }

  public RaftTuning withEntriesInFlight(int entries) {
    return new RaftTuning(electionTimeoutMin, electionTimeoutMax, rpcRequestTimeout, leaderLeaseEnabled,
        logSegmentSizeMax, snapshotAutoTriggerEntries, snapshotRetention, entries);
  }

  /** Ratis properties for a server storing under {@code storageDir} and listening on host:port. */
  public RaftProperties toServerProperties(File storageDir, String host, int port) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
    GrpcConfigKeys.Server.setHost(p, host);
    GrpcConfigKeys.Server.setPort(p, port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(electionTimeoutMax));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(rpcRequestTimeout));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, leaderLeaseEnabled);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(logSegmentSizeMax));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, CACHED_CLOSED_SEGMENTS);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(logSegmentSizeMax * (CACHED_CLOSED_SEGMENTS + 1)));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotAutoTriggerEntries);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, snapshotRetention);
    // Purge the log behind each snapshot even when a follower is down, as etcd does: a follower
    // that comes back behind the purged log gets a snapshot installed instead (below). Keep
    // logPurgePreservation() entries, so that the older retained snapshot plus the log can rebuild
    // the state if the newest snapshot turns out corrupt.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, logPurgePreservation());
    // a new or restarted follower that needs a snapshot gets it from the leader
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    // Write latency (docs/benchmarks.md, "Latency of one write"). By default Ratis appends a
    // metadata entry (the commit index) after every commit: a second fsync on every replica and a
    // second AppendEntries round per write. Without it a restarted replica learns the commit index
    // from the leader, as in etcd; every acknowledged write is still fsync'd on a majority.
    p.setBoolean(RaftServerConfigKeys.Log.LOG_METADATA_ENABLED_KEY, false);
    // The appender sleeps until 1 ms (default) after its previous send before sending a new entry;
    // with one entry in flight per shard (group commit) that sleep is pure latency.
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
    // A follower appends an AppendEntries' entries on the thread that received it. By default
    // (Ratis 3.3, RATIS-2235) it hands them to the division's server executor first, one more
    // thread switch per entry on every follower; Ratis made the hand-off optional (RATIS-2387) and
    // Ozone turns it off for the same reason (HDDS-14874). docs/benchmarks.md, step 13.
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    // Netty event loops for Raft traffic: one per core instead of gRPC's shared default of two
    // per core, for the server and for the channels to the other replicas alike. Fewer loops
    // carry more messages per wake-up; on 2 cores 2 loops measured 32 % more writes/s than the
    // default and 17 % more than 1 (docs/benchmarks.md, step 13).
    GrpcConfigKeys.Server.setBossGroupSize(p, 1);
    GrpcConfigKeys.Server.setWorkerGroupSize(p, eventLoopThreads());
    GrpcConfigKeys.Client.setWorkerGroupSize(p, eventLoopThreads());
    return p;
  }

  /**
   * Netty event-loop threads of each of a node's gRPC servers (the API's and Raft's) and of its
   * Raft channels: one per core the JVM may use (a container's CPU limit counts).
   */
  public static int eventLoopThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Log entries kept behind the newest snapshot: one snapshot interval plus a margin, which
   * reaches back past the previous (older retained) snapshot.
   */
  public long logPurgePreservation() {
    return snapshotAutoTriggerEntries + Math.max(4096, snapshotAutoTriggerEntries / 10);
  }

  /** Ratis properties for the in-node clients that forward requests to group leaders. */
  public RaftProperties toClientProperties() {
    RaftProperties p = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(rpcRequestTimeout));
    return p;
  }

  private static TimeDuration millis(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
