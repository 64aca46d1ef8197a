package ringkv.bench;

/** What each operation of a run does. */
enum Workload {
  /** A put of a fresh value. */
  WRITE,
  /** A get (linearizable unless {@code --consistency serializable}). */
  READ,
  /** A get with probability {@code --read-ratio}, else a put. */
  MIXED,
  /** Read-modify-write: a get, then compareAndSet on the value read (putIfAbsent if missing). */
  CAS,
  /** A range scan of {@code --scan-length} keys starting at the chosen key. */
  SCAN;

  /** Whether the workload reads keys that should exist, so {@code --preload} makes sense. */
  boolean readsExistingKeys() {
    return this != WRITE;
  }
}
