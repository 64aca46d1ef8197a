package ringkv.bench;

/** How key indices are drawn from the key space. */
enum KeyDistribution {
  UNIFORM,
  /** YCSB's Zipfian (constant 0.99): index 0 is the hottest key. */
  ZIPFIAN
}
