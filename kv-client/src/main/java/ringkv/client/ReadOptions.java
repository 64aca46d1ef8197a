package ringkv.client;

/**
 * How a read is served.
 *
 * @param consistency {@link Consistency#LINEARIZABLE} (default) or {@link Consistency#SERIALIZABLE}
 * @param minRevision if > 0, the serving replica first waits until it has applied this revision
 *     (for example the revision of your own earlier write); implies a replica-local read
 */
public record ReadOptions(Consistency consistency, long minRevision) {
  /** Read consistency levels. */
  public enum Consistency {
    /** Reflects every write acknowledged before the read started (Raft read index / lease). */
    LINEARIZABLE,
    /** Served by one replica's local state: may be stale, never goes backwards on that replica. */
    SERIALIZABLE
  }

  public static final ReadOptions LINEARIZABLE = new ReadOptions(Consistency.LINEARIZABLE, 0);
  public static final ReadOptions SERIALIZABLE = new ReadOptions(Consistency.SERIALIZABLE, 0);

  public ReadOptions {
    if (minRevision < 0) {
      throw new IllegalArgumentException("minRevision must be >= 0, got " + minRevision);
    }
  }

  /** A replica-local read that waits for {@code revision} to be applied there first. */
  public static ReadOptions atLeast(long revision) {
    return new ReadOptions(Consistency.SERIALIZABLE, revision);
  }
}
