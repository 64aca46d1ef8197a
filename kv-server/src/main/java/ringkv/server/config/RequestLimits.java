package ringkv.server.config;

/**
 * Sizes the API accepts; larger requests get INVALID_ARGUMENT naming the limit.
 *
 * @param maxKeyBytes largest key (default 8 KiB)
 * @param maxValueBytes largest value (default 1 MiB)
 * @param minFreeDiskBytes writes are refused (RESOURCE_EXHAUSTED) while the data dir's file
 *     system has less free space than this (default 256 MiB)
 * @param maxDataMemoryBytes writes that add data are refused (RESOURCE_EXHAUSTED) while the node
 *     holds this much data in its heap (default {@value #DEFAULT_MAX_DATA_MEMORY_PERCENT} % of the
 *     JVM's maximum heap; {@code DataMemoryGuard})
 */
public record RequestLimits(int maxKeyBytes, int maxValueBytes, long minFreeDiskBytes, long maxDataMemoryBytes) {
  public static final int DEFAULT_MAX_DATA_MEMORY_PERCENT = 60;
  public static final RequestLimits DEFAULTS = new RequestLimits(8 * 1024, 1024 * 1024, 256L << 20,
      percentOfHeap(DEFAULT_MAX_DATA_MEMORY_PERCENT));

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
    if (maxDataMemoryBytes < 1) {
      throw new IllegalArgumentException("max-data-memory must be > 0, got " + maxDataMemoryBytes);
    }
  }

  /** {@code percent} % of the heap this JVM may grow to (-Xmx). */
  public static long percentOfHeap(int percent) {
    return Runtime.getRuntime().maxMemory() / 100 * percent;
  }

  public RequestLimits withMinFreeDiskBytes(long bytes) {
    return new RequestLimits(maxKeyBytes, maxValueBytes, bytes, maxDataMemoryBytes);
  }

  public RequestLimits withMaxDataMemoryBytes(long bytes) {
    return new RequestLimits(maxKeyBytes, maxValueBytes, minFreeDiskBytes, bytes);
  }

  /** Largest gRPC message a node accepts: room for the largest value and key, plus headers. */
  public int maxMessageBytes() {
    return maxValueBytes + maxKeyBytes + (1 << 20);
  }
}
