package ringkv.cli;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for the nodes' {@code /metrics}: each admin address answers its queued answers in
 * order, repeating the last one once the queue is down to it; an address with no answers is
 * refused. Remembers every scrape.
 */
final class FakeMetrics implements MetricsSource {
  /** One scrape: which URL, with which timeout. */
  record Scrape(URI url, Duration timeout) {}

  final List<Scrape> scrapes = new ArrayList<>();
  private final Map<String, List<Object>> answers = new HashMap<>();

  /** Queues metrics texts for {@code host:port}. */
  FakeMetrics answer(String address, String... texts) {
    answers.computeIfAbsent(address, a -> new ArrayList<>()).addAll(List.of(texts));
    return this;
  }

  /** Queues a failed scrape for {@code host:port}. */
  FakeMetrics fail(String address, String reason) {
    answers.computeIfAbsent(address, a -> new ArrayList<>()).add(new IOException(reason));
    return this;
  }

  @Override
  public CompletableFuture<String> scrape(URI url, Duration timeout) {
    scrapes.add(new Scrape(url, timeout));
    List<Object> queue = answers.get(url.getHost() + ":" + url.getPort());
    if (queue == null || queue.isEmpty()) {
      return CompletableFuture.failedFuture(new IOException("connection refused"));
    }
    Object answer = queue.size() > 1 ? queue.remove(0) : queue.get(0);
    return answer instanceof String text
        ? CompletableFuture.completedFuture(text)
        : CompletableFuture.failedFuture((Throwable) answer);
  }

  long scrapesOf(String address) {
    return scrapes.stream()
        .filter(s -> (s.url().getHost() + ":" + s.url().getPort()).equals(address))
        .count();
  }
}
