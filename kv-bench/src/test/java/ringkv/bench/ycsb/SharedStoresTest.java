package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedStoresTest {
  private static final class Closeable implements AutoCloseable {
    final String name;
    int closes;

    Closeable(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  private final SharedStores<String, Closeable> shared = new SharedStores<>();
  private final List<Closeable> opened = new ArrayList<>();

  private Closeable open(String settings) {
    Closeable c = new Closeable(settings);
    opened.add(c);
    return c;
  }

  @Test
  void acquire_sameSettings_opensOnceAndSharesIt() {
    Closeable first = shared.acquire("a", this::open);
    Closeable second = shared.acquire("a", this::open);

    assertThat(second).isSameAs(first);
    assertThat(opened).hasSize(1);
    assertThat(shared.users("a")).isEqualTo(2);
  }

  @Test
  void release_lastUser_closesAndNextAcquireOpensAgain() throws Exception {
    Closeable first = shared.acquire("a", this::open);
    shared.acquire("a", this::open);

    shared.release("a");
    assertThat(first.closes).isZero();
    shared.release("a");
    assertThat(first.closes).isEqualTo(1);
    assertThat(shared.users("a")).isZero();

    assertThat(shared.acquire("a", this::open)).isNotSameAs(first);
    assertThat(opened).hasSize(2);
  }

  @Test
  void acquire_differentSettings_getDifferentStores() {
    assertThat(shared.acquire("a", this::open)).isNotSameAs(shared.acquire("b", this::open));
  }

  @Test
  void release_withoutAcquire_fails() {
    assertThatThrownBy(() -> shared.release("a")).isInstanceOf(IllegalStateException.class);
  }
}
