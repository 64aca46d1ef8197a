package ringkv.raft.shard;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.LogEntry;

/**
 * Decides, on the shard's leader, whether a new entry may enter the log. A refused entry is never
 * appended, so refusing changes nothing; the node's disk and memory guards, and its view of the
 * other replicas' limits, are the implementations (kv-server).
 */
@FunctionalInterface
public interface WriteGate {
  /** Admits everything. */
  WriteGate OPEN = entry -> null;

  /**
   * Why this entry is refused right now, or null when it is admitted. {@code entry} decodes the
   * entry: a gate whose answer depends on the commands calls it only while it refuses some, since
   * decoding a batch of writes on every proposal is not free.
   */
  @Nullable WriteRefusal refusal(Supplier<LogEntry> entry);

  /** This gate, then {@code next}: the first refusal wins. */
  default WriteGate and(WriteGate next) {
    return entry -> {
      WriteRefusal refusal = refusal(entry);
      return refusal != null ? refusal : next.refusal(entry);
    };
  }
}
