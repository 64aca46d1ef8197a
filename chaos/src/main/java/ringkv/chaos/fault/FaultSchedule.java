package ringkv.chaos.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * A random fault schedule from a seed: quiet, fault, hold, heal, quiet, ... until the end. The
 * same seed and menu give the same sequence of choices, so a run can be replayed (the victims
 * also depend on who leads at the time, which the seed does not fix).
 *
 * @param menu the faults to pick from, uniformly
 * @param quietMin shortest time without a fault (lets the cluster recover and the clients see it)
 * @param quietMax longest time without a fault
 * @param holdMin shortest fault; longer than an election timeout, so that leaders change
 * @param holdMax longest fault
 */
public record FaultSchedule(List<Fault> menu, Duration quietMin, Duration quietMax, Duration holdMin, Duration holdMax) {
  public FaultSchedule {
    menu = List.copyOf(menu);
    if (menu.isEmpty()) {
      throw new IllegalArgumentException("menu must hold at least one fault");
    }
    if (quietMax.compareTo(quietMin) < 0 || holdMax.compareTo(holdMin) < 0) {
      throw new IllegalArgumentException("quiet and hold ranges must have min <= max: quiet " + quietMin + ".." + quietMax
          + ", hold " + holdMin + ".." + holdMax);
    }
  }

  /**
   * Runs the schedule against {@code cluster} until {@code endNanos} on {@code clock}, and heals
   * the fault in progress before returning (also when interrupted or when a heal fails).
   * {@code onEvent} gets a line for each inject and heal, for progress output.
   */
  public List<FaultWindow> run(ChaosCluster cluster, long seed, LongSupplier clock, long endNanos, Consumer<String> onEvent)
      throws InterruptedException {
    Random random = new Random(seed);
    List<FaultWindow> windows = new ArrayList<>();
    while (true) {
      sleepUntil(clock, Math.min(endNanos, clock.getAsLong() + between(random, quietMin, quietMax)));
      long holdNanos = between(random, holdMin, holdMax);
      if (clock.getAsLong() + holdNanos > endNanos) {
        return windows;
      }
      Fault fault = menu.get(random.nextInt(menu.size()));
      long injected = clock.getAsLong();
      Fault.Injected injectedFault = fault.inject(cluster, random);
      onEvent.accept(String.format("+%.1fs inject #%d %s: %s", injected / 1e9, windows.size() + 1, fault.name(),
          injectedFault.description()));
      try {
        sleepUntil(clock, injected + holdNanos);
      } finally {
        injectedFault.heal().heal();
      }
      long healed = clock.getAsLong();
      String outcome = injectedFault.outcome().get();
      windows.add(new FaultWindow(windows.size() + 1, fault.name(), injectedFault.description(), injected, healed, outcome));
      onEvent.accept(String.format("+%.1fs heal   #%d %s%s", healed / 1e9, windows.size(), fault.name(),
          outcome.isEmpty() ? "" : " (" + outcome + ")"));
    }
  }

  private static long between(Random random, Duration min, Duration max) {
    long span = max.toNanos() - min.toNanos();
    return min.toNanos() + (span == 0 ? 0 : (long) (random.nextDouble() * span));
  }

  private static void sleepUntil(LongSupplier clock, long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - clock.getAsLong()) > 0) {
      Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
    }
  }
}
