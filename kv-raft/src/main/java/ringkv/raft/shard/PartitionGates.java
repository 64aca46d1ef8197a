package ringkv.raft.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.MigrationResult;
import ringkv.api.v1.PartitionGateRecord;
import ringkv.api.v1.PartitionGateState;

/**
 * Which partitions a shard serves, as its log decides: the state machine's side of a partition
 * move (DESIGN.md "Moving partitions"). A partition without a gate serves; the steps of a move
 * set one:
 *
 * <pre>
 *   source: (serves) --freeze--> FROZEN --drop--> DROPPED
 *   target: (any) --install first chunk--> INSTALLING --activate--> ACTIVE (serves)
 * </pre>
 *
 * <p>Every step carries the move's epoch and a gate remembers the epoch of the last move that set
 * it; a step with a lower epoch than the gate's is stale (a slow controller of an older move of the
 * same partition) and changes nothing. A step that finds the partition already where it leads
 * (a retried step) succeeds without changing anything. So the controller may repeat any step.
 *
 * <p>Written on the apply thread only; read concurrently by queries (a concurrent map).
 */
public final class PartitionGates {
  /** The gate of one partition. */
  public record Gate(PartitionGateState state, long moveEpoch) {}

  private final Map<Integer, Gate> gates = new ConcurrentSkipListMap<>();

  /** Why the partition refuses requests, or null when it serves. */
  public @Nullable String refusal(int partition) {
    Gate gate = gates.get(partition);
    if (gate == null || gate.state() == PartitionGateState.GATE_ACTIVE) {
      return null;
    }
    return switch (gate.state()) {
      case GATE_FROZEN -> "partition " + partition + " is moving to another shard (frozen for the copy); refresh the cluster map and retry";
      case GATE_INSTALLING -> "partition " + partition + " is still being copied into this shard; refresh the cluster map and retry";
      default -> "partition " + partition + " moved to another shard; refresh the cluster map and retry";
    };
  }

  public boolean serves(int partition) {
    return refusal(partition) == null;
  }

  /** The first frozen partition, or -1: a scan over the whole shard must wait while one is frozen. */
  public int firstFrozen() {
    return first(PartitionGateState.GATE_FROZEN, PartitionGateState.GATE_FROZEN);
  }

  /**
   * The first frozen or installing partition, or -1. A delete-range waits while there is one: it
   * is recorded in the session table, so a retry after the move would be answered from there
   * without deleting the moved partition's keys.
   */
  public int firstMoving() {
    return first(PartitionGateState.GATE_FROZEN, PartitionGateState.GATE_INSTALLING);
  }

  private int first(PartitionGateState a, PartitionGateState b) {
    for (Map.Entry<Integer, Gate> e : gates.entrySet()) {
      PartitionGateState state = e.getValue().state();
      if (state == a || state == b) {
        return e.getKey();
      }
    }
    return -1;
  }

  public @Nullable Gate gate(int partition) {
    return gates.get(partition);
  }

  /** Whether {@code partition} is frozen by the move of {@code moveEpoch} (its keys may be copied). */
  public boolean isFrozenBy(int partition, long moveEpoch) {
    return is(partition, PartitionGateState.GATE_FROZEN, moveEpoch);
  }

  /** Whether the next install chunk of the move continues one this shard is installing. */
  public boolean isInstallingBy(int partition, long moveEpoch) {
    return is(partition, PartitionGateState.GATE_INSTALLING, moveEpoch);
  }

  /** Source side: stop serving the partition from here on. */
  MigrationResult freeze(int partition, long moveEpoch) {
    Gate gate = gates.get(partition);
    if (gate != null && gate.moveEpoch() == moveEpoch
        && (gate.state() == PartitionGateState.GATE_FROZEN || gate.state() == PartitionGateState.GATE_DROPPED)) {
      return done("already frozen");
    }
    if (gate != null && (gate.state() != PartitionGateState.GATE_ACTIVE || gate.moveEpoch() >= moveEpoch)) {
      return refused(partition, "freeze", moveEpoch, gate);
    }
    gates.put(partition, new Gate(PartitionGateState.GATE_FROZEN, moveEpoch));
    return done("");
  }

  /**
   * Target side: whether an install chunk may be applied; a first chunk (re)starts the install.
   * Returns the refusal, or null when the caller should load the chunk.
   */
  @Nullable MigrationResult beginChunk(int partition, long moveEpoch, boolean first) {
    Gate gate = gates.get(partition);
    if (gate != null && gate.moveEpoch() == moveEpoch && gate.state() == PartitionGateState.GATE_ACTIVE) {
      return done("already active"); // a copy retried after the activation: keep what serves
    }
    if (gate != null && (gate.moveEpoch() > moveEpoch || (gate.moveEpoch() == moveEpoch
        && (gate.state() == PartitionGateState.GATE_FROZEN || gate.state() == PartitionGateState.GATE_DROPPED)))) {
      // a stale move, or this shard is the move's source (a controller bug): never clear its keys
      return refused(partition, "install", moveEpoch, gate);
    }
    if (first) {
      gates.put(partition, new Gate(PartitionGateState.GATE_INSTALLING, moveEpoch));
      return null;
    }
    if (isInstallingBy(partition, moveEpoch)) {
      return null;
    }
    return refused(partition, "install a next chunk (the copy must start again)", moveEpoch, gate);
  }

  /** Target side: serve the installed partition from here on. */
  MigrationResult activate(int partition, long moveEpoch) {
    if (is(partition, PartitionGateState.GATE_ACTIVE, moveEpoch)) {
      return done("already active");
    }
    if (!isInstallingBy(partition, moveEpoch)) {
      return refused(partition, "activate", moveEpoch, gates.get(partition));
    }
    gates.put(partition, new Gate(PartitionGateState.GATE_ACTIVE, moveEpoch));
    return done("");
  }

  /** Source side: whether the frozen keys may be dropped now; returns the answer when not. */
  @Nullable MigrationResult beginDrop(int partition, long moveEpoch) {
    if (is(partition, PartitionGateState.GATE_DROPPED, moveEpoch)) {
      return done("already dropped");
    }
    if (!isFrozenBy(partition, moveEpoch)) {
      return refused(partition, "drop", moveEpoch, gates.get(partition));
    }
    gates.put(partition, new Gate(PartitionGateState.GATE_DROPPED, moveEpoch));
    return null;
  }

  private boolean is(int partition, PartitionGateState state, long moveEpoch) {
    Gate gate = gates.get(partition);
    return gate != null && gate.state() == state && gate.moveEpoch() == moveEpoch;
  }

  private static MigrationResult done(String note) {
    return MigrationResult.newBuilder().setApplied(true).setNote(note).build();
  }

  private static MigrationResult refused(int partition, String step, long moveEpoch, @Nullable Gate gate) {
    String found = gate == null ? "serving (no move recorded)" : gate.state() + " by the move of epoch " + gate.moveEpoch();
    return MigrationResult.newBuilder().setApplied(false)
        .setNote("cannot " + step + " partition " + partition + " for the move of epoch " + moveEpoch + ": it is " + found)
        .build();
  }

  /** The gates as snapshot records, in partition order. */
  public List<PartitionGateRecord> toRecords() {
    List<PartitionGateRecord> records = new ArrayList<>(gates.size());
    gates.forEach((p, g) -> records.add(PartitionGateRecord.newBuilder().setPartition(p).setState(g.state())
        .setMoveEpoch(g.moveEpoch()).build()));
    return records;
  }

  /** Replaces the gates with those of a snapshot. */
  public void load(List<PartitionGateRecord> records) {
    gates.clear();
    for (PartitionGateRecord r : records) {
      gates.put(r.getPartition(), new Gate(r.getState(), r.getMoveEpoch()));
    }
  }

  /** A digest of the gates, for the shard's state digest. */
  public long digest() {
    long h = 17;
    for (Map.Entry<Integer, Gate> e : gates.entrySet()) {
      h = h * 31 + e.getKey();
      h = h * 31 + e.getValue().state().getNumber();
      h = h * 31 + e.getValue().moveEpoch();
    }
    return h;
  }
}
