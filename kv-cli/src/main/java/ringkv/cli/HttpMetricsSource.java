package ringkv.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches metrics with {@link java.net.http.HttpClient}: HTTP/1.1, the connection and the whole
 * request each within the timeout. The client (and its selector thread) is made on the first
 * scrape, so a kvctl run that scrapes nothing starts no thread.
 */
final class HttpMetricsSource implements MetricsSource {
  private @Nullable HttpClient client;

  @Override
  public CompletableFuture<String> scrape(URI url, Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            // the classic text format, not OpenMetrics, whatever the server prefers
            .header("Accept", "text/plain;version=0.0.4")
            .GET()
            .build();
    return client(timeout)
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(new IOException(describe(failure, timeout), failure));
              }
              if (response.statusCode() != 200) {
                throw new CompletionException(new IOException("HTTP " + response.statusCode()));
              }
              return response.body();
            });
  }

  private synchronized HttpClient client(Duration timeout) {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(timeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return client;
  }

  /** A few words on why a request failed: refused, timed out, or the exception's message. */
  static String describe(Throwable failure, Duration timeout) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "connect timed out after " + DurationConverter.format(timeout);
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + DurationConverter.format(timeout);
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank()
        ? cause.getClass().getSimpleName()
        : ErrorReporter.oneLine(message);
  }
}
