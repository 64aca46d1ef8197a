package ringkv.raft.shard;

import ringkv.api.v1.CommandResult;

/** What the session table says about an incoming write. */
public sealed interface SessionLookup {
  /** Not seen before (or not deduplicated): apply it. */
  record Fresh() implements SessionLookup {}

  /** Applied before: answer with the recorded result, change nothing. */
  record Duplicate(CommandResult result) implements SessionLookup {}

  /** Its reply was already forgotten: it may or may not have been applied; change nothing. */
  record Expired() implements SessionLookup {}

  SessionLookup FRESH = new Fresh();
  SessionLookup EXPIRED = new Expired();
}
