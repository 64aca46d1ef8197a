package ringkv.raft.shard;

import org.jspecify.annotations.Nullable;

/**
 * Decides, on the shard's leader, whether a new write may enter the log. A refused write is never
 * appended, so refusing changes nothing; the node's disk guard is the implementation.
 */
@FunctionalInterface
public interface WriteGate {
  /** Admits everything. */
  WriteGate OPEN = () -> null;

  /** Why writes are refused right now, or null when they are admitted. */
  @Nullable String refusal();
}
