package ringkv.client;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a get. A missing key is not an error: {@link #found()} is false.
 *
 * @param kv the key-value, or null when the key does not exist
 */
public record GetResult(ResponseMeta meta, @Nullable KeyValue kv) {
  public boolean found() {
    return kv != null;
  }
}
