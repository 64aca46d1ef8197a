/**
 * The RingKV snapshot file format (snapshot.proto): written atomically and checksummed by the
 * nodes, read by nodes at start and by tools such as {@code kvctl restore}.
 */
package ringkv.api.snapshot;
