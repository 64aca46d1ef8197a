package ringkv.chaos.fault;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import ringkv.chaos.cluster.ChaosCluster;

/**
 * One kind of fault of the chaos menu. {@link #inject} chooses its victims with the schedule's
 * seeded {@code random} (so a run can be replayed from its seed), breaks something, and returns
 * how to undo it. Faults run one at a time; each heal leaves the cluster's network and processes
 * as they were before the inject (a killed node is started again, a paused one resumed).
 */
public interface Fault {
  /** Short name used in scenario names, reports and histories, e.g. {@code leader-partition}. */
  String name();

  Injected inject(ChaosCluster cluster, Random random);

  /** A fault named {@code name} that {@code injector} injects. */
  static Fault of(String name, BiFunction<ChaosCluster, Random, Injected> injector) {
    return new Fault() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Injected inject(ChaosCluster cluster, Random random) {
        return injector.apply(cluster, random);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * What an inject did, in words for the report, how to undo it, and what it saw while it ran
   * (read after the heal; empty for most faults).
   */
  record Injected(String description, Heal heal, Supplier<String> outcome) {
    public Injected {
      if (description == null || description.isBlank()) {
        throw new IllegalArgumentException("description must say what the fault did");
      }
    }

    public Injected(String description, Heal heal) {
      this(description, heal, () -> "");
    }
  }

  @FunctionalInterface
  interface Heal {
    void heal();
  }
}
