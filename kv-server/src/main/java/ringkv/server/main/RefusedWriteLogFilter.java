package ringkv.server.main;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import ringkv.raft.shard.WriteRefusedException;

/**
 * Drops the ERROR with a stack trace that Ratis' ordered client logs ("Failed to send request")
 * for each forwarded write the shard's leader refused on purpose: its disk or memory guard
 * ({@link WriteRefusedException}, reasons {@code DISK_FULL} and {@code MEMORY_FULL}). Such a
 * refusal is no failure of the forwarding: the caller gets {@code RESOURCE_EXHAUSTED} with the
 * reason, and the leader's guard logs the state once, when it changes. Without this filter a
 * client that does not send to the leader fills the forwarding node's log with a trace per
 * refused batch. Every other error of that client still gets through. Registered in logback.xml.
 */
public final class RefusedWriteLogFilter extends TurboFilter {
  static final String RATIS_ORDERED_CLIENT = "org.apache.ratis.client.impl.OrderedAsync";
  /** How deep a cause chain is searched; Ratis wraps a refusal in two or three exceptions. */
  private static final int MAX_CAUSES = 8;

  @Override
  public FilterReply decide(@Nullable Marker marker, Logger logger, Level level, @Nullable String format,
      Object @Nullable [] params, @Nullable Throwable t) {
    if (!RATIS_ORDERED_CLIENT.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    // Ratis logs with the exception as the last argument; logback extracts it only after the filters
    Throwable thrown = t;
    if (thrown == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
      thrown = last;
    }
    return isRefusedWrite(thrown) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  static boolean isRefusedWrite(@Nullable Throwable thrown) {
    Throwable cause = thrown;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof StateMachineException && WriteRefusedException.parse(cause.getMessage()).isPresent()) {
        return true;
      }
    }
    return false;
  }
}
