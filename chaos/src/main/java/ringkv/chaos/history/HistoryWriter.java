package ringkv.chaos.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Appends events to a history, one JSON line each. Thread-safe: many client threads share one
 * writer.
 *
 * <p>Implementation notes: one lock covers taking the index, reading the clock and writing the
 * line, so line order, index order and time order agree, and a line is never interleaved with
 * another. A caller records {@code invoke} before sending a request and the completion after the
 * reply arrives; the lock only widens those intervals, which keeps the checker sound. The writer
 * also refuses a second invocation on a busy process and a completion of an operation that is not
 * open, because either would make the history ambiguous.
 *
 * <p>I/O errors surface as {@link UncheckedIOException} from the recording call.
 */
public final class HistoryWriter implements Closeable, Flushable {
  private final Writer out;
  private final LongSupplier elapsedNanos;
  private final boolean flushEachLine;
  private final Map<Integer, Event> openByProcess = new HashMap<>();
  private long nextIndex;
  private long lastTimeNanos;
  private boolean closed;

  /**
   * @param out where lines go; this writer closes it
   * @param elapsedNanos monotonic nanoseconds since the start of the run; a value below the last
   *     one is raised to it, so times never go backwards in the file
   * @param flushEachLine flush after every line (slower; nothing is lost if the JVM dies), else
   *     only on {@link #flush()} and {@link #close()}
   */
  public HistoryWriter(Writer out, LongSupplier elapsedNanos, boolean flushEachLine) {
    this.out = out;
    this.elapsedNanos = elapsedNanos;
    this.flushEachLine = flushEachLine;
  }

  /** Creates (or truncates) {@code file}; times are {@link System#nanoTime()} since this call. */
  public static HistoryWriter open(Path file, boolean flushEachLine) throws IOException {
    long start = System.nanoTime();
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    return new HistoryWriter(out, () -> System.nanoTime() - start, flushEachLine);
  }

  public Event invokeGet(int process, String key) {
    return invoke(process, OpFunction.GET, key, null, null, Map.of());
  }

  public Event invokePut(int process, String key, String value) {
    return invoke(process, OpFunction.PUT, key, value, null, Map.of());
  }

  public Event invokeDelete(int process, String key) {
    return invoke(process, OpFunction.DELETE, key, null, null, Map.of());
  }

  /** Records {@code compareAndSet(key, expected, newValue)}. */
  public Event invokeCas(int process, String key, String expected, String newValue) {
    return invoke(process, OpFunction.CAS, key, newValue, expected, Map.of());
  }

  /**
   * Records an invocation.
   *
   * @throws IllegalStateException if {@code process} has an operation open
   */
  public Event invoke(
      int process,
      OpFunction function,
      String key,
      @Nullable String value,
      @Nullable String expected,
      Map<String, String> extra) {
    synchronized (this) {
      if (openByProcess.containsKey(process)) {
        throw new IllegalStateException(
            "process "
                + process
                + " already runs an operation invoked at index "
                + openByProcess.get(process).index());
      }
      Event event = append(process, EventType.INVOKE, function, key, value, expected, null, extra);
      openByProcess.put(process, event);
      return event;
    }
  }

  /** Records that a put or delete took effect. */
  public Event ok(Event invocation) {
    return complete(invocation, EventType.OK, null, null, Map.of());
  }

  /** Records what a get read; {@code read} null means absent. */
  public Event okGet(Event invocation, @Nullable String read) {
    return complete(invocation, EventType.OK, read, null, Map.of());
  }

  /** Records a cas answer: {@code succeeded} false means the register did not hold expected. */
  public Event okCas(Event invocation, boolean succeeded) {
    return complete(invocation, EventType.OK, null, succeeded, Map.of());
  }

  /** Records that the operation definitely did not take effect. */
  public Event fail(Event invocation, Map<String, String> extra) {
    return complete(invocation, EventType.FAIL, null, null, extra);
  }

  /** Records that the outcome is unknown (e.g. a timeout with {@code mayHaveBeenApplied}). */
  public Event info(Event invocation, Map<String, String> extra) {
    return complete(invocation, EventType.INFO, null, null, extra);
  }

  /**
   * Records the completion of {@code invocation}; value and expected are copied from it.
   *
   * @param read ok get only: the value read, null for absent
   * @param succeeded ok cas only
   * @throws IllegalStateException if {@code invocation} is not the open operation of its process
   */
  public Event complete(
      Event invocation,
      EventType type,
      @Nullable String read,
      @Nullable Boolean succeeded,
      Map<String, String> extra) {
    if (type == EventType.INVOKE) {
      throw new IllegalArgumentException("type must be a completion, got invoke");
    }
    boolean isGet = invocation.function() == OpFunction.GET;
    if (read != null && !(isGet && type == EventType.OK)) {
      throw new IllegalArgumentException("only an ok get has a read value, got '" + read + "'");
    }
    synchronized (this) {
      if (openByProcess.get(invocation.process()) != invocation) {
        throw new IllegalStateException(
            "index "
                + invocation.index()
                + " is not the open operation of process "
                + invocation.process());
      }
      Event event =
          append(
              invocation.process(),
              type,
              invocation.function(),
              invocation.key(),
              isGet ? read : invocation.value(),
              invocation.expected(),
              succeeded,
              extra);
      openByProcess.remove(invocation.process());
      return event;
    }
  }

  private Event append(
      int process,
      EventType type,
      OpFunction function,
      String key,
      @Nullable String value,
      @Nullable String expected,
      @Nullable Boolean succeeded,
      Map<String, String> extra) {
    if (closed) {
      throw new IllegalStateException("history writer is closed");
    }
    lastTimeNanos = Math.max(lastTimeNanos, elapsedNanos.getAsLong());
    // validate before taking the index, so a rejected event leaves no gap
    Event event =
        new Event(
            nextIndex,
            lastTimeNanos,
            process,
            type,
            function,
            key,
            value,
            expected,
            succeeded,
            extra);
    try {
      out.write(EventJson.encode(event));
      out.write('\n');
      if (flushEachLine) {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the history", e);
    }
    nextIndex++;
    return event;
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  /** Flushes and closes; operations still open stay without completion (read as info). */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
