package ringkv.client;

/**
 * Where and when an answer was produced.
 *
 * @param revision the shard's revision this answer reflects (for a write, the revision at which
 *     it was applied: one per write, growing by one); revisions of different shards are unrelated
 * @param shardId the shard that owns the key
 * @param epoch the cluster-map epoch the answering node routed with
 * @param leaderId the shard leader's node id as known by the answering node; empty if unknown
 * @param nodeId the node that answered
 */
public record ResponseMeta(long revision, int shardId, long epoch, String leaderId, String nodeId) {}
