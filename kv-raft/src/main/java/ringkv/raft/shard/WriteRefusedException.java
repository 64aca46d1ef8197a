package ringkv.raft.shard;

import java.io.IOException;

/**
 * A write the leader refused before appending it (see {@link WriteGate}). Ratis hands it to the
 * forwarding node as a {@code StateMachineException} whose message keeps {@link #MARKER}, which is
 * how that node tells this refusal from a failure.
 */
public final class WriteRefusedException extends IOException {
  public static final String MARKER = "[ringkv:disk-full]";

  public WriteRefusedException(String reason) {
    super(MARKER + " " + reason);
  }

  /** True if {@code message} (of any exception in a chain) carries this refusal. */
  public static boolean isRefusal(String message) {
    return message != null && message.contains(MARKER);
  }

  /** The reason without the marker and whatever Ratis put before it. */
  public static String reasonOf(String message) {
    int at = message.indexOf(MARKER);
    return at < 0 ? message : message.substring(at + MARKER.length()).trim();
  }
}
