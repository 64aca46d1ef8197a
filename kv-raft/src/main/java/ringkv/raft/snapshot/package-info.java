/** Snapshot storage of a group replica: choosing the newest valid snapshot, quarantining bad ones. */
@NullMarked
package ringkv.raft.snapshot;

import org.jspecify.annotations.NullMarked;
