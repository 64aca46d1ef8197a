package ringkv.raft.shard;

import java.time.Duration;

/**
 * Limits of the exactly-once session table of a shard.
 *
 * @param ttl a client session unused for this long (in log time) is forgotten; a client must
 *     never retry a write for longer than this (its call deadline is far shorter)
 * @param maxSessions above this, the least recently active sessions are forgotten
 * @param maxRepliesPerSession replies kept per client; older ones are forgotten first
 */
public record SessionConfig(Duration ttl, int maxSessions, int maxRepliesPerSession) {
  public static final SessionConfig DEFAULTS = new SessionConfig(Duration.ofMinutes(10), 100_000, 4_096);

  public SessionConfig {
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("session ttl must be >= 1s, got " + ttl);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be >= 1, got " + maxSessions);
    }
    if (maxRepliesPerSession < 1) {
      throw new IllegalArgumentException(
          "maxRepliesPerSession must be >= 1, got " + maxRepliesPerSession);
    }
  }
}
