package ringkv.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Client settings.
 *
 * @param endpoints gRPC API addresses ({@code host:port}) of some nodes; any node answers any key
 * @param callTimeout total time a call may take, retries included
 * @param attemptTimeout time one attempt on one node may take before the client tries another
 * @param retryBackoffBase first retry delay; doubles per retry, with full jitter
 * @param retryBackoffMax cap of the retry delay
 * @param maxKeyBytes keys above this are refused before they are sent (the server enforces it too)
 * @param maxValueBytes values above this are refused before they are sent
 */
public record KvClientConfig(
    List<String> endpoints,
    Duration callTimeout,
    Duration attemptTimeout,
    Duration retryBackoffBase,
    Duration retryBackoffMax,
    int maxKeyBytes,
    int maxValueBytes) {

  public static final int DEFAULT_MAX_KEY_BYTES = 8 * 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  public KvClientConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints must name at least one host:port");
    }
    for (String endpoint : endpoints) {
      int colon = endpoint.lastIndexOf(':');
      if (colon <= 0 || colon == endpoint.length() - 1 || !endpoint.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("endpoint must be host:port, got '" + endpoint + "'");
      }
    }
    requirePositive("callTimeout", callTimeout);
    requirePositive("attemptTimeout", attemptTimeout);
    requirePositive("retryBackoffBase", retryBackoffBase);
    if (retryBackoffMax.compareTo(retryBackoffBase) < 0) {
      throw new IllegalArgumentException(
          "retryBackoffMax (" + retryBackoffMax + ") must be >= retryBackoffBase (" + retryBackoffBase + ")");
    }
    if (maxKeyBytes < 1 || maxValueBytes < 0) {
      throw new IllegalArgumentException(
          "maxKeyBytes must be >= 1 and maxValueBytes >= 0, got " + maxKeyBytes + " and " + maxValueBytes);
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link KvClientConfig}; only the endpoints are required. */
  public static final class Builder {
    private List<String> endpoints = List.of();
    private Duration callTimeout = Duration.ofSeconds(15);
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private Duration retryBackoffBase = Duration.ofMillis(50);
    private Duration retryBackoffMax = Duration.ofSeconds(1);
    private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;

    public Builder endpoints(String... endpoints) {
      return endpoints(Arrays.asList(endpoints));
    }

    public Builder endpoints(List<String> endpoints) {
      this.endpoints = List.copyOf(endpoints);
      return this;
    }

    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    public Builder retryBackoff(Duration base, Duration max) {
      this.retryBackoffBase = base;
      this.retryBackoffMax = max;
      return this;
    }

    public Builder maxKeyBytes(int maxKeyBytes) {
      this.maxKeyBytes = maxKeyBytes;
      return this;
    }

    public Builder maxValueBytes(int maxValueBytes) {
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    public KvClientConfig build() {
      return new KvClientConfig(endpoints, callTimeout, attemptTimeout, retryBackoffBase,
          retryBackoffMax, maxKeyBytes, maxValueBytes);
    }
  }
}
