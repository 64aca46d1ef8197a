package ringkv.bench.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reference-counted stores, one per distinct settings value. YCSB creates one {@code DB} per
 * client thread and calls {@code init}/{@code cleanup} on each, but a client (its channels,
 * event loops and leader cache) is meant to be shared: each binding keeps one of these in a
 * static field (YCSB instantiates bindings reflectively, so there is nowhere to inject it), the
 * first {@code acquire} opens the store and the last {@code release} closes it. Thread-safe.
 */
public final class SharedStores<K, S extends AutoCloseable> {
  private final Map<K, Entry<S>> open = new HashMap<>();

  private static final class Entry<S> {
    final S store;
    int users;

    Entry(S store) {
      this.store = store;
    }
  }

  /** The store for {@code settings}, opened by {@code opener} if no one holds it. */
  public synchronized S acquire(K settings, Function<K, S> opener) {
    Entry<S> entry = open.get(settings);
    if (entry == null) {
      entry = new Entry<>(opener.apply(settings));
      open.put(settings, entry);
    }
    entry.users++;
    return entry.store;
  }

  /** Gives back one {@link #acquire}; the last one closes the store. */
  public synchronized void release(K settings) throws Exception {
    Entry<S> entry = open.get(settings);
    if (entry == null) {
      throw new IllegalStateException("release without acquire for " + settings);
    }
    if (--entry.users == 0) {
      open.remove(settings);
      entry.store.close();
    }
  }

  /** How many acquires of {@code settings} are not released yet. */
  public synchronized int users(K settings) {
    Entry<S> entry = open.get(settings);
    return entry == null ? 0 : entry.users;
  }
}
