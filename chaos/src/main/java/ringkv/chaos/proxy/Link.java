package ringkv.chaos.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a proxied connection: bytes read from {@code source} go through the toxics of
 * that direction and are written to {@code sink}.
 *
 * <p>Implementation notes. Two threads: the reader reads chunks into a bounded queue, stamping
 * their arrival (so latency is measured from arrival even while the pump sleeps, and a full queue
 * pushes back on the sender as Toxiproxy's channels do); the pump takes chunks, runs them through
 * the {@link ToxicChain} and writes them. The API thread only {@link #publish}es a new toxic list
 * under {@link #lock} and bumps {@link #publishedVersion}; the pump applies it between chunks, so
 * the chain is only ever touched by the pump. A chunk in flight finishes with the chain it started
 * with, but its sleeps end at once when the version moves (see {@link #sleepUntil}).
 *
 * <p>When the source ends, the end goes through the chain (slow_close delays it, timeout
 * swallows it) and then the sink socket is closed, as Toxiproxy closes the destination after
 * io.Copy; the other direction, reading from that socket, then ends too. Lock order: the proxy's
 * monitor, then this lock; the pump never holds this lock while closing the connection.
 */
final class Link implements ToxicStage.LinkContext {
  private static final Logger log = LoggerFactory.getLogger(Link.class);
  private static final int CHUNK_BYTES = 32 * 1024;
  private static final int MAX_QUEUED_CHUNKS = 32;

  private enum Signal {
    CLOSED,
    RECONCILE,
    DEADLINE,
    EOF
  }

  private final String name;
  private final Socket source;
  private final Socket sink;
  private final ProxiedConnection connection;
  private final ToxicChain chain;

  private final ReentrantLock lock = new ReentrantLock();
  // Signalled on every change of the fields below: data queued or taken, source ended, toxics
  // published, closed.
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private boolean sourceEnded;
  private boolean eofTaken;
  private boolean closed;
  private List<ToxicSpec> published;
  private long publishedVersion;
  private long appliedVersion = -1;

  Link(
      String name,
      Socket source,
      Socket sink,
      ProxiedConnection connection,
      List<ToxicSpec> toxics,
      SplittableRandom random) {
    this.name = name;
    this.source = source;
    this.sink = sink;
    this.connection = connection;
    this.chain = new ToxicChain(random);
    this.published = List.copyOf(toxics);
  }

  Socket sink() {
    return sink;
  }

  void start() {
    startDaemon(name + "-read", this::read);
    startDaemon(name + "-pump", this::pump);
  }

  private static void startDaemon(String threadName, Runnable body) {
    var thread = new Thread(body, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Makes {@code toxics} this link's chain; safe from any thread. */
  void publish(List<ToxicSpec> toxics) {
    lock.lock();
    try {
      published = List.copyOf(toxics);
      publishedVersion++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops both threads; the connection closes the sockets, which unblocks their I/O. */
  void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void read() {
    var buffer = new byte[CHUNK_BYTES];
    // The streams are not closed here: closing one closes the whole socket, which the other
    // direction still uses. ProxiedConnection closes the sockets.
    try {
      InputStream in = source.getInputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!enqueue(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()))) {
          return;
        }
      }
    } catch (IOException e) {
      // A reset or locally closed socket ends the stream, as an io.Copy error does in Toxiproxy.
      log.debug("source ended link={} cause={}", name, e.toString());
    } finally {
      lock.lock();
      try {
        sourceEnded = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean enqueue(Chunk chunk) {
    lock.lock();
    try {
      while (queue.size() >= MAX_QUEUED_CHUNKS && !closed) {
        changed.await();
      }
      if (closed) {
        return false;
      }
      queue.add(chunk);
      changed.signalAll();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void pump() {
    boolean ended = false;
    try {
      ended = runPump(sink.getOutputStream());
    } catch (IOException | InterruptedException e) {
      log.debug("link stopped link={} cause={}", name, e.toString());
    } catch (RuntimeException e) {
      log.warn("link failed link={}", name, e);
    } finally {
      connection.linkFinished(this, ended);
    }
  }

  /** Returns true when the source's end went through the chain, false when the link closed. */
  private boolean runPump(OutputStream out) throws IOException, InterruptedException {
    boolean eofSwallowed = false;
    ToxicStage.Emitter writer =
        chunk -> {
          if (isClosed()) {
            throw new IOException("link closed");
          }
          out.write(chunk.data());
        };
    while (true) {
      Object next = awaitNext();
      if (next == Signal.CLOSED) {
        return false;
      } else if (next == Signal.DEADLINE) {
        chain.fireDeadlines(this);
      } else if (next == Signal.RECONCILE) {
        chain.reconcile(publishedSnapshot(), this);
        // A toxic that swallowed the end may be gone now: offer the end to the new chain.
        if (eofSwallowed && chain.passEof(this)) {
          return true;
        }
      } else if (next == Signal.EOF) {
        if (chain.passEof(this)) {
          return true;
        }
        eofSwallowed = true;
      } else {
        chain.process((Chunk) next, this, writer);
      }
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private List<ToxicSpec> publishedSnapshot() {
    lock.lock();
    try {
      return published;
    } finally {
      lock.unlock();
    }
  }

  /** The next thing for the pump: a {@link Chunk} or a {@link Signal}, in priority order. */
  private Object awaitNext() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return Signal.CLOSED;
        }
        if (appliedVersion != publishedVersion) {
          appliedVersion = publishedVersion;
          return Signal.RECONCILE;
        }
        long deadline = chain.earliestDeadlineNanos();
        long now = System.nanoTime();
        if (deadline != Long.MAX_VALUE && deadline - now <= 0) {
          return Signal.DEADLINE;
        }
        var chunk = queue.poll();
        if (chunk != null) {
          changed.signalAll();
          return chunk;
        }
        if (sourceEnded && !eofTaken) {
          eofTaken = true;
          return Signal.EOF;
        }
        if (deadline == Long.MAX_VALUE) {
          changed.await();
        } else {
          changed.awaitNanos(deadline - now);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean sleepUntil(long deadlineNanos) {
    return sleep(deadlineNanos, true);
  }

  @Override
  public void sleepUntilClosed(long deadlineNanos) {
    sleep(deadlineNanos, false);
  }

  private boolean sleep(long deadlineNanos, boolean wakeOnToxicChange) {
    lock.lock();
    try {
      while (!closed && !(wakeOnToxicChange && appliedVersion != publishedVersion)) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        changed.awaitNanos(left);
      }
      return false;
    } catch (InterruptedException e) {
      // Nothing here interrupts these threads; if something does, stop the link.
      closed = true;
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void closeConnection() {
    connection.close();
  }

  @Override
  public void resetConnection() {
    connection.reset();
  }
}
