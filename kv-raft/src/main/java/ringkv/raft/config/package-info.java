/** Raft tuning: the one place that sets Ratis configuration keys. */
@NullMarked
package ringkv.raft.config;

import org.jspecify.annotations.NullMarked;
