/**
 * Snapshot storage of a group replica: choosing the newest valid snapshot, quarantining bad ones,
 * keeping the newest few and deleting files a crash left half written ({@link
 * ringkv.raft.snapshot.SnapshotStore}); and writing a shard's snapshot off its apply thread
 * ({@link ringkv.raft.snapshot.BackgroundSnapshots}).
 */
@NullMarked
package ringkv.raft.snapshot;

import org.jspecify.annotations.NullMarked;
