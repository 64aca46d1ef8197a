package ringkv.chaos.run;

import java.time.Duration;
import java.util.List;
import ringkv.chaos.fault.Fault;
import ringkv.chaos.fault.FaultSchedule;

/**
 * A named chaos experiment: which faults the schedule picks from, and how long faults and quiet
 * spells last. The workload and the checks are the same for every scenario.
 */
public record Scenario(String name, String summary, List<Fault> menu, Duration holdMin, Duration holdMax) {
  /** Quiet spells between faults: long enough for an election and for the clients to notice. */
  static final Duration QUIET_MIN = Duration.ofSeconds(2);
  static final Duration QUIET_MAX = Duration.ofSeconds(4);

  public Scenario {
    menu = List.copyOf(menu);
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("scenario name must be lower-case words with dashes, got '" + name + "'");
    }
  }

  public FaultSchedule schedule() {
    return new FaultSchedule(menu, QUIET_MIN, QUIET_MAX, holdMin, holdMax);
  }
}
