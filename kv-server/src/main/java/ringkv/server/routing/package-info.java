/** Resolving a key to its shard and submitting commands to the shard's Raft group. */
@NullMarked
package ringkv.server.routing;

import org.jspecify.annotations.NullMarked;
