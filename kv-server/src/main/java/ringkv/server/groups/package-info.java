/** The Raft groups a node hosts: ids, membership, state machines. */
@NullMarked
package ringkv.server.groups;

import org.jspecify.annotations.NullMarked;
