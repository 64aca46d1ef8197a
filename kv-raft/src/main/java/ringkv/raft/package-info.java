/** Ratis state machines and the shard store of a RingKV node; Ratis types stay in this module and kv-server. */
@NullMarked
package ringkv.raft;

import org.jspecify.annotations.NullMarked;
