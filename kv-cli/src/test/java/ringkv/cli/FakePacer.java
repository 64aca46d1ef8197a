package ringkv.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock that moves only when told to sleep, by exactly as much as asked; it can play a Ctrl-C at
 * a given sleep.
 */
final class FakePacer implements Pacer {
  long now = 1_000_000_000_000L;

  /** The deadlines asked for, in order. */
  final List<Long> deadlines = new ArrayList<>();

  /** The sleep (1-based) that is interrupted as by Ctrl-C, or 0 for none. */
  int interruptAtSleep;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleepUntil(long deadline) throws InterruptedException {
    deadlines.add(deadline);
    if (deadlines.size() == interruptAtSleep) {
      throw new InterruptedException();
    }
    now = Math.max(now, deadline);
  }
}
