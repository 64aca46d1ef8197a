package ringkv.client;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a put.
 *
 * @param previous the key's previous value, when it was asked for and the key existed
 */
public record PutResult(ResponseMeta meta, @Nullable KeyValue previous) {
  /** The revision at which the put was applied. */
  public long revision() {
    return meta.revision();
  }
}
