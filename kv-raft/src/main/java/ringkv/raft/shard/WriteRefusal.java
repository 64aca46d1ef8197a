package ringkv.raft.shard;

import ringkv.api.v1.ErrorReason;

/** Why a {@link WriteGate} refused a write: the reason the client sees, and a message for people. */
public record WriteRefusal(ErrorReason reason, String message) {}
