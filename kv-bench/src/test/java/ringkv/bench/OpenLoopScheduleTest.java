package ringkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  @Test
  void intendedNanos_oneThread_fixedIntervals() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000, 1000, 1, 0);
    assertThat(s.intendedNanos(0)).isEqualTo(1_000);
    assertThat(s.intendedNanos(1)).isEqualTo(1_001_000);
    assertThat(s.intendedNanos(2500)).isEqualTo(1_000 + 2_500_000_000L);
  }

  @Test
  void intendedNanos_fourThreads_interleaveToTheTotalRate() {
    double rate = 10_000; // one send every 100 us over all threads
    List<Long> all = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      OpenLoopSchedule s = new OpenLoopSchedule(0, rate, 4, t);
      for (int n = 0; n < 250; n++) {
        all.add(s.intendedNanos(n));
      }
      assertThat(s.intendedNanos(1) - s.intendedNanos(0)).isEqualTo(400_000);
    }
    Collections.sort(all);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(i * 100_000L);
    }
  }

  @Test
  void intendedNanos_fractionalInterval_doesNotDrift() {
    OpenLoopSchedule s = new OpenLoopSchedule(0, 3, 1, 0); // 333,333,333.3 ns apart
    assertThat(s.intendedNanos(3_000)).isEqualTo(1_000_000_000_000L);
  }

  @Test
  void constructor_badArguments_throw() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 1, 0)).hasMessageContaining("ratePerSecond");
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 10, 2, 2)).hasMessageContaining("thread 2 of 2");
  }
}
