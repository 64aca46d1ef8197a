/** The shard state machine: partitioned store, client sessions (exactly-once writes), and the Ratis adapter. */
@NullMarked
package ringkv.raft.shard;

import org.jspecify.annotations.NullMarked;
