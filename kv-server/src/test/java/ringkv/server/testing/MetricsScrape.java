package ringkv.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of a node's {@code /metrics}: checked by Prometheus' own parser and linter
 * ({@code promtool check metrics}, from Debian's prometheus package, which .ci/run installs), and
 * read for sample values.
 */
public record MetricsScrape(String text) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static MetricsScrape of(String adminUrl) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("/metrics answered " + response.statusCode());
    }
    return new MetricsScrape(response.body());
  }

  /** Runs promtool over the text; returns its complaints (empty when the exposition is valid and lint-clean). */
  public String promtoolProblems() throws IOException, InterruptedException {
    Process promtool;
    try {
      promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool is not installed: apt-get install prometheus (.ci/run does)", e);
    }
    try (var in = promtool.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
      promtool.destroyForcibly();
      throw new AssertionError("promtool did not finish");
    }
    return promtool.exitValue() == 0 ? "" : "exit " + promtool.exitValue() + ": " + output;
  }

  /** Sum of the samples of {@code name} whose label set contains every {@code labelFragments} (e.g. {@code method="Put"}). */
  public OptionalDouble sum(String name, String... labelFragments) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean matches = true;
      for (String fragment : labelFragments) {
        matches &= line.contains(fragment);
      }
      if (matches) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }
}
