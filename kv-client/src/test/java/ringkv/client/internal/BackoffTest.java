package ringkv.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delay_ceilingDoublesPerRetry_andIsCapped() {
    // "random" = the largest allowed value, to observe the ceiling
    Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), bound -> bound);
    assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(100)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void delay_isJitteredFromZeroToTheCeiling() {
    Backoff lowest = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), bound -> 0);
    assertThat(lowest.delay(3)).isEqualTo(Duration.ZERO);
    long[] seenBound = new long[1];
    new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), bound -> seenBound[0] = bound).delay(2);
    assertThat(seenBound[0]).isEqualTo(Duration.ofMillis(200).toNanos());
  }
}
