package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ringkv.api.v1.ClientSessionRecord;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.SessionReply;
import ringkv.api.v1.WriteId;

/**
 * The (clientId, sequence) table that makes retried writes apply once.
 *
 * <p>Implementation notes. A client numbers its writes across all shards; a shard sees a subset
 * of them, possibly out of order (many in flight). For each client we keep the replies of its
 * recent writes by sequence, and a floor: replies below it are forgotten, either because the
 * client said so ({@code first_incomplete_sequence}) or because the per-client bound evicted
 * them. A write below the floor without a reply gets {@link SessionLookup.Expired}: we cannot
 * know whether it was applied, so we change nothing and say so.
 *
 * <p>Determinism: every decision uses only values carried in the log (the entry's
 * {@code proposed_at_millis} and index), never this replica's clock, so all replicas keep the
 * same table. Expiry is judged at lookup time ({@link #lookup}); {@link #evictExpired} only frees
 * memory of sessions that are already logically expired, so when it runs does not matter.
 *
 * <p>Confined to the group's apply thread (and snapshot, which runs on it); not thread-safe.
 */
public final class ClientSessions {
  private final SessionConfig config;
  private final Map<ByteString, Session> sessions = new HashMap<>();

  public ClientSessions(SessionConfig config) {
    this.config = config;
  }

  private static final class Session {
    final ByteString clientId;
    long floor;
    long lastActiveMillis;
    long lastActiveIndex;
    final TreeMap<Long, CommandResult> replies = new TreeMap<>();

    Session(ByteString clientId) {
      this.clientId = clientId;
    }
  }

  /** Whether the write is new, a duplicate, or too old to tell. */
  public SessionLookup lookup(WriteId writeId, long nowMillis) {
    if (writeId.getClientId().isEmpty()) {
      return SessionLookup.FRESH;
    }
    Session session = sessions.get(writeId.getClientId());
    if (session == null || isExpired(session, nowMillis)) {
      return SessionLookup.FRESH;
    }
    CommandResult reply = session.replies.get(writeId.getSequence());
    if (reply != null) {
      return new SessionLookup.Duplicate(reply);
    }
    return writeId.getSequence() < session.floor ? SessionLookup.EXPIRED : SessionLookup.FRESH;
  }

  /** Records the result of an applied write (no-op for writes without a client id). */
  public void record(WriteId writeId, CommandResult result, long nowMillis, long index) {
    if (writeId.getClientId().isEmpty()) {
      return;
    }
    Session session = sessions.get(writeId.getClientId());
    if (session == null || isExpired(session, nowMillis)) {
      session = new Session(writeId.getClientId());
      sessions.put(session.clientId, session);
    }
    session.lastActiveMillis = nowMillis;
    session.lastActiveIndex = index;
    if (writeId.getFirstIncompleteSequence() > session.floor) {
      session.floor = writeId.getFirstIncompleteSequence();
      session.replies.headMap(session.floor).clear();
    }
    session.replies.put(writeId.getSequence(), result);
    keepWithinBounds(session);
  }

  /** Forgets the oldest replies of {@code session} and the least recently active sessions beyond the bounds. */
  private void keepWithinBounds(Session session) {
    while (session.replies.size() > config.maxRepliesPerSession()) {
      long oldest = session.replies.pollFirstEntry().getKey();
      session.floor = Math.max(session.floor, oldest + 1);
    }
    if (sessions.size() > config.maxSessions()) {
      evictLeastRecentlyActive(sessions.size() - config.maxSessions());
    }
  }

  /** Frees sessions that expired by log time {@code nowMillis}. */
  public void evictExpired(long nowMillis) {
    sessions.values().removeIf(s -> isExpired(s, nowMillis));
  }

  public int size() {
    return sessions.size();
  }

  private boolean isExpired(Session session, long nowMillis) {
    return nowMillis - session.lastActiveMillis > config.ttl().toMillis();
  }

  private void evictLeastRecentlyActive(int count) {
    // Deterministic order: by last active index, then client id (ties are impossible in
    // practice since one index records one session, but the order must not depend on hashing).
    sessions.values().stream()
        .sorted(
            Comparator.comparingLong((Session s) -> s.lastActiveIndex)
                .thenComparing(s -> s.clientId, ByteString.unsignedLexicographicalComparator()))
        .limit(count)
        .map(s -> s.clientId)
        .toList()
        .forEach(sessions::remove);
  }

  /** The table as snapshot records, in client-id order (so snapshots are reproducible). */
  public List<ClientSessionRecord> toRecords() {
    List<ClientSessionRecord> records = new ArrayList<>(sessions.size());
    sessions.values().stream()
        .sorted(Comparator.comparing(s -> s.clientId, ByteString.unsignedLexicographicalComparator()))
        .forEach(
            s -> {
              var record =
                  ClientSessionRecord.newBuilder()
                      .setClientId(s.clientId)
                      .setLastActiveMillis(s.lastActiveMillis)
                      .setLastActiveIndex(s.lastActiveIndex)
                      .setFloorSequence(s.floor);
              s.replies.forEach(
                  (seq, result) ->
                      record.addReplies(SessionReply.newBuilder().setSequence(seq).setResult(result)));
              records.add(record.build());
            });
    return records;
  }

  /** Replaces the table with the records of a snapshot. */
  public void load(List<ClientSessionRecord> records) {
    sessions.clear();
    for (ClientSessionRecord r : records) {
      Session s = new Session(r.getClientId());
      s.floor = r.getFloorSequence();
      s.lastActiveMillis = r.getLastActiveMillis();
      s.lastActiveIndex = r.getLastActiveIndex();
      r.getRepliesList().forEach(reply -> s.replies.put(reply.getSequence(), reply.getResult()));
      sessions.put(s.clientId, s);
    }
  }

  /**
   * Adds another shard's table (a moved partition's source) to this one: replies this table does
   * not have are added, floors and activity take the higher value. A client numbers its writes
   * across all shards, so a sequence names the same write in both tables and either reply answers
   * its retry. The per-client and per-table bounds apply as after a write.
   */
  public void merge(List<ClientSessionRecord> records, long nowMillis) {
    for (ClientSessionRecord r : records) {
      if (nowMillis - r.getLastActiveMillis() > config.ttl().toMillis()) {
        continue; // expired at the source too: nothing in it could answer a retry
      }
      Session s = sessions.get(r.getClientId());
      if (s == null || isExpired(s, nowMillis)) {
        s = new Session(r.getClientId());
        sessions.put(s.clientId, s);
      }
      s.floor = Math.max(s.floor, r.getFloorSequence());
      s.lastActiveMillis = Math.max(s.lastActiveMillis, r.getLastActiveMillis());
      // r's index is of the source's log and means nothing here; a session known only from the
      // source keeps index 0, so that the bound evicts imported sessions before this shard's own
      for (SessionReply reply : r.getRepliesList()) {
        s.replies.putIfAbsent(reply.getSequence(), reply.getResult());
      }
      s.replies.headMap(s.floor).clear();
      keepWithinBounds(s);
    }
  }
}
