/** The meta group: the cluster map as a replicated state machine. */
@NullMarked
package ringkv.raft.meta;

import org.jspecify.annotations.NullMarked;
