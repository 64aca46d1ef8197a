package ringkv.chaos.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  private final List<String> events = new ArrayList<>();

  private Fault recording(String name) {
    return Fault.of(name, (cluster, random) -> {
      events.add("inject " + name);
      return new Fault.Injected("did " + name, () -> events.add("heal " + name));
    });
  }

  private List<FaultWindow> run(long seed) throws InterruptedException {
    FaultSchedule schedule = new FaultSchedule(List.of(recording("a"), recording("b"), recording("c")),
        Duration.ofMillis(5), Duration.ofMillis(15), Duration.ofMillis(10), Duration.ofMillis(20));
    long start = System.nanoTime();
    return schedule.run(null, seed, () -> System.nanoTime() - start, Duration.ofMillis(600).toNanos(), line -> { });
  }

  @Test
  void run_sameSeed_sameFaultsInTheSameOrder() throws InterruptedException {
    List<String> first = run(42).stream().map(FaultWindow::fault).toList();
    List<String> second = run(42).stream().map(FaultWindow::fault).toList();
    List<String> other = run(43).stream().map(FaultWindow::fault).toList();
    assertThat(first).hasSizeGreaterThanOrEqualTo(5);
    // wall-clock jitter may end a run one fault earlier; the choices themselves replay
    int common = Math.min(first.size(), second.size());
    assertThat(first.subList(0, common)).isEqualTo(second.subList(0, common));
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void run_everyInjectHealedBeforeTheNext_andWindowsInOrder() throws InterruptedException {
    List<FaultWindow> windows = run(7);
    for (int i = 0; i < events.size(); i += 2) {
      assertThat(events.get(i)).startsWith("inject ");
      assertThat(events.get(i + 1)).isEqualTo("heal " + events.get(i).substring("inject ".length()));
    }
    for (int i = 1; i < windows.size(); i++) {
      assertThat(windows.get(i).injectedNanos()).isGreaterThan(windows.get(i - 1).healedNanos());
      assertThat(windows.get(i).number()).isEqualTo(i + 1);
    }
    assertThat(windows).allSatisfy(w -> assertThat(w.healedNanos() - w.injectedNanos()).isGreaterThanOrEqualTo(10_000_000));
  }

  @Test
  void run_healFails_stillRecordedAsThrown() {
    Fault broken = Fault.of("broken", (cluster, random) -> new Fault.Injected("breaks its heal", () -> {
      throw new IllegalStateException("cannot heal");
    }));
    FaultSchedule schedule = new FaultSchedule(List.of(broken), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(1),
        Duration.ofMillis(2));
    long start = System.nanoTime();
    assertThatThrownBy(() -> schedule.run(null, 1, () -> System.nanoTime() - start, Duration.ofSeconds(1).toNanos(), l -> { }))
        .hasMessage("cannot heal");
  }

  @Test
  void schedule_badRanges_refused() {
    assertThatThrownBy(() -> new FaultSchedule(List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("menu");
    assertThatThrownBy(() -> new FaultSchedule(List.of(recording("a")), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ZERO, Duration.ZERO)).hasMessageContaining("min <= max");
  }
}
