package ringkv.chaos.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The stage of each toxic type, following Shopify/toxiproxy's toxics/*.go. Attributes are read
 * once, when the toxic starts on a link; an update starts a new stage.
 */
final class ToxicStages {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private ToxicStages() {}

  /** State that outlives updates of a toxic on one link (limit_data's byte count). */
  static final class LimitState {
    long sentBytes;
  }

  static ToxicStage create(
      ToxicSpec spec, LimitState limitState, SplittableRandom random, long nowNanos) {
    return switch (spec.type()) {
      case LATENCY -> new Latency(spec.attribute("latency"), spec.attribute("jitter"), random);
      case BANDWIDTH -> new Bandwidth(spec.attribute("rate"));
      case SLOW_CLOSE -> new SlowClose(spec.attribute("delay"));
      case TIMEOUT -> new Timeout(spec.attribute("timeout"), nowNanos);
      case RESET_PEER -> new ResetPeer(spec.attribute("timeout"));
      case SLICER ->
          new Slicer(
              spec.attribute("average_size"),
              spec.attribute("size_variation"),
              spec.attribute("delay"),
              random);
      case LIMIT_DATA -> new LimitData(spec.attribute("bytes"), limitState);
    };
  }

  private static long millisToNanos(long millis) {
    return Math.max(0, Math.min(millis, Long.MAX_VALUE / NANOS_PER_MILLI / 2)) * NANOS_PER_MILLI;
  }

  /** Delays each chunk to {@code latency ± rand(jitter)} ms after it arrived; keeps order. */
  private static final class Latency implements ToxicStage {
    private final long latencyMillis;
    private final long jitterMillis;
    private final SplittableRandom random;

    Latency(long latencyMillis, long jitterMillis, SplittableRandom random) {
      this.latencyMillis = latencyMillis;
      this.jitterMillis = jitterMillis;
      this.random = random;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException {
      long delayMillis = latencyMillis;
      if (jitterMillis > 0) {
        delayMillis += random.nextLong(2 * jitterMillis) - jitterMillis;
      }
      long due = chunk.arrivalNanos() + millisToNanos(delayMillis);
      // Cut short by a toxic change: pass the chunk on now, never drop it.
      next.emit(link.sleepUntil(due) ? chunk.withArrival(due) : chunk);
    }
  }

  /** Limits throughput to {@code rate} KB/s, sending large chunks in 100 ms pieces. */
  private static final class Bandwidth implements ToxicStage {
    private final long rateKbPerSecond;
    private long nextFreeNanos = Long.MIN_VALUE;

    Bandwidth(long rateKbPerSecond) {
      this.rateKbPerSecond = rateKbPerSecond;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException {
      if (rateKbPerSecond <= 0) {
        next.emit(chunk);
        return;
      }
      int pieceBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1, rateKbPerSecond * 100));
      int offset = 0;
      while (offset < chunk.size()) {
        int end = (int) Math.min(chunk.size(), (long) offset + pieceBytes);
        // 1 byte takes 1 ms / rate: KB/s is bytes per ms.
        long start = Math.max(System.nanoTime(), nextFreeNanos);
        nextFreeNanos = start + (end - offset) * NANOS_PER_MILLI / rateKbPerSecond;
        if (!link.sleepUntil(nextFreeNanos)) {
          next.emit(chunk.slice(offset, chunk.size()));
          return;
        }
        next.emit(chunk.slice(offset, end));
        offset = end;
      }
    }
  }

  /** Holds the close of the stream for {@code delay} ms after the source ended. */
  private static final class SlowClose implements ToxicStage {
    private final long delayMillis;

    SlowClose(long delayMillis) {
      this.delayMillis = delayMillis;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException {
      next.emit(chunk);
    }

    @Override
    public boolean onEof(LinkContext link) {
      link.sleepUntilClosed(System.nanoTime() + millisToNanos(delayMillis));
      return true;
    }
  }

  /**
   * Drops all data, and the end of stream too. Closes the connection {@code timeout} ms after it
   * started, or when removed if {@code timeout} is 0, as Toxiproxy's Cleanup does.
   */
  private static final class Timeout implements ToxicStage {
    private long deadlineNanos;

    Timeout(long timeoutMillis, long startNanos) {
      this.deadlineNanos =
          timeoutMillis > 0 ? startNanos + millisToNanos(timeoutMillis) : Long.MAX_VALUE;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) {}

    @Override
    public boolean onEof(LinkContext link) {
      return false;
    }

    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    @Override
    public void onDeadline(LinkContext link) {
      deadlineNanos = Long.MAX_VALUE;
      link.closeConnection();
    }

    @Override
    public void onRemoved(LinkContext link) {
      link.closeConnection();
    }
  }

  /** On the first chunk, waits {@code timeout} ms and resets both sockets; the data is lost. */
  private static final class ResetPeer implements ToxicStage {
    private final long timeoutMillis;

    ResetPeer(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) {
      link.sleepUntilClosed(System.nanoTime() + millisToNanos(timeoutMillis));
      link.resetConnection();
    }
  }

  /** Splits chunks into pieces of about {@code average_size ± size_variation} bytes. */
  private static final class Slicer implements ToxicStage {
    private final int averageSize;
    private final int sizeVariation;
    private final long delayNanos;
    private final SplittableRandom random;

    Slicer(long averageSize, long sizeVariation, long delayMicros, SplittableRandom random) {
      this.averageSize = (int) Math.max(0, Math.min(averageSize, Integer.MAX_VALUE));
      this.sizeVariation = (int) Math.max(0, Math.min(sizeVariation, Integer.MAX_VALUE / 2));
      this.delayNanos = Math.max(0, Math.min(delayMicros, Long.MAX_VALUE / 2_000)) * 1_000;
      this.random = random;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException {
      var ends = new ArrayList<Integer>();
      cut(0, chunk.size(), ends);
      int start = 0;
      for (int i = 0; i < ends.size(); i++) {
        next.emit(chunk.slice(start, ends.get(i)));
        start = ends.get(i);
        boolean last = i == ends.size() - 1;
        if (!last && delayNanos > 0 && !link.sleepUntil(System.nanoTime() + delayNanos)) {
          next.emit(chunk.slice(start, chunk.size()));
          return;
        }
      }
    }

    // Halves recursively around the middle ± variation, so piece sizes vary without a bias to
    // the start or end; unlike Toxiproxy, a variation of 0 or a tiny average cannot loop.
    private void cut(int start, int end, List<Integer> ends) {
      int size = end - start;
      if (size - averageSize <= sizeVariation || size <= 1) {
        ends.add(end);
        return;
      }
      int shift = sizeVariation > 0 ? random.nextInt(2 * sizeVariation) - sizeVariation : 0;
      int mid = Math.max(start + 1, Math.min(end - 1, start + size / 2 + shift));
      cut(start, mid, ends);
      cut(mid, end, ends);
    }
  }

  /** Forwards at most {@code bytes} on this link, counted across updates, then closes. */
  private static final class LimitData implements ToxicStage {
    private final long limitBytes;
    private final LimitState state;

    LimitData(long limitBytes, LimitState state) {
      this.limitBytes = limitBytes;
      this.state = state;
    }

    @Override
    public void onData(Chunk chunk, LinkContext link, Emitter next) throws IOException {
      long remaining = Math.max(0, limitBytes - state.sentBytes);
      var allowed = remaining < chunk.size() ? chunk.slice(0, (int) remaining) : chunk;
      if (allowed.size() > 0) {
        next.emit(allowed);
        state.sentBytes += allowed.size();
      }
      if (limitBytes - state.sentBytes <= 0) {
        link.closeConnection();
      }
    }
  }
}
