package ringkv.cli;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a node's Prometheus metrics ({@code GET /metrics} on its admin port); {@link
 * HttpMetricsSource} is the real one, tests pass fakes.
 */
interface MetricsSource {
  /**
   * Starts fetching {@code url} and returns at once.
   *
   * @return completes with the body of a 200 answer within {@code timeout}; otherwise
   *     exceptionally, with an exception whose message says why in a few words (refused, timed out,
   *     HTTP status)
   */
  CompletableFuture<String> scrape(URI url, Duration timeout);
}
