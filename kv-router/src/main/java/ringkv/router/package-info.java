/** Pure, deterministic placement: key to partition, partitions to shards, replicas to nodes. */
@NullMarked
package ringkv.router;

import org.jspecify.annotations.NullMarked;
