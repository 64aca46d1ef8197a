package ringkv.raft.shard;

import java.io.IOException;
import java.util.Optional;
import ringkv.api.v1.ErrorReason;

/**
 * A write the leader refused before appending it (see {@link WriteGate}). Ratis hands it to the
 * forwarding node as a {@code StateMachineException} that keeps only the message, so the message
 * carries a marker with the reason, which is how that node tells this refusal from a failure.
 */
public final class WriteRefusedException extends IOException {
  /** DISK_FULL's marker predates the others; nodes of the previous version look for exactly it. */
  private static final String DISK_FULL_MARKER = "[ringkv:disk-full]";
  private static final String MARKER_PREFIX = "[ringkv:refused:";

  public WriteRefusedException(WriteRefusal refusal) {
    super(markerOf(refusal.reason()) + " " + refusal.message());
  }

  /** The refusal a message (of any exception in a chain) carries, if it carries one. */
  public static Optional<WriteRefusal> parse(String message) {
    if (message == null) {
      return Optional.empty();
    }
    int at = message.indexOf(DISK_FULL_MARKER);
    if (at >= 0) {
      return Optional.of(new WriteRefusal(ErrorReason.DISK_FULL, after(message, at + DISK_FULL_MARKER.length())));
    }
    at = message.indexOf(MARKER_PREFIX);
    int end = at < 0 ? -1 : message.indexOf(']', at);
    if (end < 0) {
      return Optional.empty();
    }
    String name = message.substring(at + MARKER_PREFIX.length(), end);
    for (ErrorReason reason : ErrorReason.values()) {
      if (reason != ErrorReason.UNRECOGNIZED && reason.name().equals(name)) {
        return Optional.of(new WriteRefusal(reason, after(message, end + 1)));
      }
    }
    return Optional.empty();
  }

  private static String markerOf(ErrorReason reason) {
    return reason == ErrorReason.DISK_FULL ? DISK_FULL_MARKER : MARKER_PREFIX + reason.name() + "]";
  }

  private static String after(String message, int from) {
    return message.substring(from).trim();
  }
}
