/**
 * The YCSB binding for RingKV ({@code RingKvYcsbClient}) and what it shares with the etcd binding:
 * the record encoding, the record-store operations and the update strategy (docs/benchmarks.md, "YCSB").
 */
@NullMarked
package ringkv.bench.ycsb;

import org.jspecify.annotations.NullMarked;
