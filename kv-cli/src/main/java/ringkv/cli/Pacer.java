package ringkv.cli;

/**
 * The clock and the waits of {@code kvctl top} and of the commands that wait for the map ({@link
 * MapWait}): a monotonic clock, and sleeping until a time on it. {@link #system} is the real one;
 * tests pass a fake whose time moves only when it is told to sleep.
 */
interface Pacer {
  /**
   * Now, in nanoseconds on a monotonic clock with an arbitrary origin ({@link System#nanoTime}).
   */
  long nanoTime();

  /**
   * Returns once {@link #nanoTime()} has reached {@code deadline}; at once if it has already.
   *
   * @throws InterruptedException when the thread is interrupted while it waits (Ctrl-C)
   */
  void sleepUntil(long deadline) throws InterruptedException;

  /** {@link System#nanoTime} and {@link Thread#sleep}. */
  static Pacer system() {
    return new Pacer() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
          Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
      }
    };
  }
}
