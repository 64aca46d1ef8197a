package ringkv.chaos.proxy;

import java.io.IOException;

/**
 * One toxic running on one link (one direction of one connection). All methods run on the link's
 * pump thread, so a stage keeps its state in plain fields.
 */
interface ToxicStage {

  /** Passes {@code chunk} on to the next stage, possibly changed, delayed, split or not at all. */
  void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException;

  /**
   * The source reached end of stream; returns {@code false} to swallow it (the connection then
   * stays open until something else closes it).
   */
  default boolean onEof(LinkContext link) {
    return true;
  }

  /** When {@link #onDeadline} must run, in {@link System#nanoTime()} terms; MAX_VALUE if never. */
  default long deadlineNanos() {
    return Long.MAX_VALUE;
  }

  default void onDeadline(LinkContext link) {}

  /** The toxic was removed from the proxy while this link was live. */
  default void onRemoved(LinkContext link) {}

  /** Where a stage sends its output. */
  @FunctionalInterface
  interface Emitter {
    void emit(Chunk chunk) throws IOException;
  }

  /** What a stage may ask of the link it runs on. */
  interface LinkContext {
    /**
     * Sleeps until {@code deadlineNanos}; returns {@code false} early if this link's toxics changed
     * or it closed, in which case the stage passes on what it holds at once, as a Toxiproxy toxic
     * does when interrupted.
     */
    boolean sleepUntil(long deadlineNanos);

    /** Sleeps until {@code deadlineNanos} or until the link closes, whatever else changes. */
    void sleepUntilClosed(long deadlineNanos);

    /** Closes both sockets of the connection normally (FIN). */
    void closeConnection();

    /** Closes both sockets of the connection with SO_LINGER 0, so the peers see a TCP RST. */
    void resetConnection();
  }

  /** The stage of a toxic that lost its toxicity roll on this link. */
  ToxicStage PASS_THROUGH = (chunk, link, next) -> next.emit(chunk);
}
