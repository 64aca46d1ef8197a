package ringkv.bench;

/**
 * When each send of an open-loop run is due. The target rate is split evenly over the threads
 * and the threads are staggered, so together they send one request every {@code 1 / rate}
 * seconds. Latency is measured from {@link #intendedNanos}, not from the actual send: a send
 * that is late because the system (or the generator) stalled is charged for the wait, which
 * avoids coordinated omission.
 */
record OpenLoopSchedule(long startNanos, double ratePerSecond, int threads, int thread) {
  OpenLoopSchedule {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("ratePerSecond must be > 0, got " + ratePerSecond);
    }
    if (threads < 1 || thread < 0 || thread >= threads) {
      throw new IllegalArgumentException("thread " + thread + " of " + threads);
    }
  }

  /** Nanoseconds between two sends of the whole run. */
  double globalIntervalNanos() {
    return 1e9 / ratePerSecond;
  }

  /** The intended send time (in {@link System#nanoTime()} terms) of this thread's n-th send. */
  long intendedNanos(long n) {
    double interval = globalIntervalNanos();
    return startNanos + Math.round((n * (double) threads + thread) * interval);
  }
}
