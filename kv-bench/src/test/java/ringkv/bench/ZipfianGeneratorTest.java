package ringkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianGeneratorTest {
  @Test
  void next_seeded_staysInRangeAndFollowsRank() {
    int items = 1000;
    int samples = 200_000;
    ZipfianGenerator zipf = new ZipfianGenerator(items);
    SplittableRandom random = new SplittableRandom(42);
    long[] counts = new long[items];
    for (int i = 0; i < samples; i++) {
      long rank = zipf.next(random);
      assertThat(rank).isBetween(0L, (long) items - 1);
      counts[(int) rank]++;
    }
    // ranks 0 and 1 are exact in Gray's algorithm; past them it approximates the tail, so
    // compare the mass of the top 10% of ranks instead
    for (int r = 0; r < 2; r++) {
      assertThat((double) counts[r] / samples).isCloseTo(zipf.probabilityOf(r), withPercentage(3));
    }
    double topExpected = 0;
    long topCount = 0;
    for (int r = 0; r < items / 10; r++) {
      topExpected += zipf.probabilityOf(r);
      topCount += counts[r];
    }
    assertThat((double) topCount / samples).isCloseTo(topExpected, withPercentage(5));
    // frequencies decrease with rank: strictly for the head, and over buckets for the tail
    for (int r = 0; r < 4; r++) {
      assertThat(counts[r]).isGreaterThan(counts[r + 1]);
    }
    long previous = Long.MAX_VALUE;
    for (int bucket = 0; bucket < items; bucket += 100) {
      long sum = 0;
      for (int r = bucket; r < bucket + 100; r++) {
        sum += counts[r];
      }
      assertThat(sum).isLessThan(previous);
      previous = sum;
    }
    assertThat(counts[items - 1] + counts[items - 2] + counts[items - 3]).isPositive();
  }

  @Test
  void next_sameSeed_sameSequence() {
    ZipfianGenerator zipf = new ZipfianGenerator(100_000);
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      assertThat(zipf.next(a)).isEqualTo(zipf.next(b));
    }
  }

  @Test
  void next_tinyKeySpaces_stayInRange() {
    SplittableRandom random = new SplittableRandom(1);
    ZipfianGenerator one = new ZipfianGenerator(1);
    ZipfianGenerator two = new ZipfianGenerator(2);
    for (int i = 0; i < 10_000; i++) {
      assertThat(one.next(random)).isZero();
      assertThat(two.next(random)).isBetween(0L, 1L);
    }
  }

  @Test
  void constructor_badArguments_throw() {
    assertThatThrownBy(() -> new ZipfianGenerator(0)).hasMessageContaining("items");
    assertThatThrownBy(() -> new ZipfianGenerator(10, 1.0)).hasMessageContaining("theta");
  }
}
