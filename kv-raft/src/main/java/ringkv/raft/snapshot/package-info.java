/** The versioned, checksummed snapshot file format of a shard. */
@NullMarked
package ringkv.raft.snapshot;

import org.jspecify.annotations.NullMarked;
