package ringkv.server.config;

/**
 * Sizes the API accepts; larger requests get INVALID_ARGUMENT naming the limit.
 *
 * @param maxKeyBytes largest key (default 8 KiB)
 * @param maxValueBytes largest value (default 1 MiB)
 * @param minFreeDiskBytes writes are refused (RESOURCE_EXHAUSTED) while the data dir's file
 *     system has less free space than this (default 256 MiB)
 */
public record RequestLimits(int maxKeyBytes, int maxValueBytes, long minFreeDiskBytes) {
  public static final RequestLimits DEFAULTS = new RequestLimits(8 * 1024, 1024 * 1024, 256L << 20);

  public RequestLimits {
    if (maxKeyBytes < 1) {
      throw new IllegalArgumentException("maxKeyBytes must be >= 1, got " + maxKeyBytes);
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException("maxValueBytes must be >= 0, got " + maxValueBytes);
    }
    if (minFreeDiskBytes < 0) {
      throw new IllegalArgumentException("min-free-disk must be >= 0, got " + minFreeDiskBytes);
    }
  }

  public RequestLimits withMinFreeDiskBytes(long bytes) {
    return new RequestLimits(maxKeyBytes, maxValueBytes, bytes);
  }

  /** Largest gRPC message a node accepts: room for the largest value and key, plus headers. */
  public int maxMessageBytes() {
    return maxValueBytes + maxKeyBytes + (1 << 20);
  }
}
