package ringkv.client;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a delete.
 *
 * @param deleted true if the key existed and was deleted
 * @param previous the deleted value, when it was asked for and the key existed
 */
public record DeleteResult(ResponseMeta meta, boolean deleted, @Nullable KeyValue previous) {}
