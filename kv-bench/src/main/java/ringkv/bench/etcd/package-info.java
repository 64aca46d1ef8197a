/** The YCSB binding for etcd, for the comparison in docs/benchmarks.md ("Comparison with etcd"). */
@NullMarked
package ringkv.bench.etcd;

import org.jspecify.annotations.NullMarked;
