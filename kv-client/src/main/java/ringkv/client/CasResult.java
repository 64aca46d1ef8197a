package ringkv.client;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a compare-and-set shortcut ({@code putIfAbsent}, {@code compareAndSet},
 * {@code compareAndDelete}). A failed comparison is not an error.
 *
 * @param succeeded whether the write happened
 * @param current the key after the call: the new value when it succeeded, the value that made
 *     the comparison fail otherwise; null when the key does not exist
 */
public record CasResult(ResponseMeta meta, boolean succeeded, @Nullable KeyValue current) {}
