package ringkv.client;

/**
 * Options of a put or delete.
 *
 * @param returnPrevious return the key's previous value in the result
 */
public record WriteOptions(boolean returnPrevious) {
  public static final WriteOptions DEFAULT = new WriteOptions(false);
  public static final WriteOptions RETURN_PREVIOUS = new WriteOptions(true);
}
