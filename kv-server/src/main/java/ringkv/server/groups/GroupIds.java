package ringkv.server.groups;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import ringkv.router.ShardId;

/**
 * Raft group ids derived from the cluster id: every node computes the same ids without asking,
 * and two clusters with different ids never mistake each other's groups.
 */
public final class GroupIds {
  private GroupIds() {}

  public static RaftGroupId shard(String clusterId, ShardId shard) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("ringkv/" + clusterId + "/shard/" + shard.value()).getBytes(UTF_8)));
  }

  public static RaftGroupId meta(String clusterId) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("ringkv/" + clusterId + "/meta").getBytes(UTF_8)));
  }
}
