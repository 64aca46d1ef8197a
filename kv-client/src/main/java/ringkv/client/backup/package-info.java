/**
 * Backup and restore of a whole cluster: {@link ringkv.client.backup.ClusterBackup}. Used by
 * {@code kvctl backup} and {@code kvctl restore}; the directory format is in docs/operations.md.
 */
@NullMarked
package ringkv.client.backup;

import org.jspecify.annotations.NullMarked;
