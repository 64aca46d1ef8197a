package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import ringkv.client.KvClient;
import ringkv.client.KvException;
import ringkv.router.ShardId;
import ringkv.server.testing.MiniCluster;

/**
 * The dashboard in a real browser: Debian's headless chromium, driven through its chromedriver
 * (given explicitly, so Selenium Manager never runs and nothing is downloaded). Screenshots go to
 * {@code target/dashboard-screenshots/}.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SHARDS = 3;

  @Test
  void dashboard_shardLeaderKilled_showsNodeDownAndNewLeaders() throws Exception {
    requireBrowser();
    try (MiniCluster cluster = MiniCluster.builder().nodes(3).shards(SHARDS).start()) {
      // a light load, so the rate and latency columns have numbers in the screenshots
      KvClient client = cluster.newClient();
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService load = Executors.newSingleThreadExecutor();
      Future<?> writer = load.submit(() -> {
        for (int i = 0; running.get(); i++) {
          try {
            client.put(ByteString.copyFromUtf8("dash" + (i % 500)), ByteString.copyFromUtf8("v" + i));
            client.get(ByteString.copyFromUtf8("dash" + (i % 500)));
          } catch (KvException e) {
            // while a leader is being replaced; the load only decorates the page
          }
        }
        return null;
      });
      // the first replica of each shard is its preferred leader, so nodes 1 and 2 soon lead one
      MiniCluster.await("a shard led by a node other than node 0", WAIT, () -> victim(cluster).isPresent());
      int victim = victim(cluster).orElseThrow();
      String victimId = cluster.config(victim).nodeId().value();

      WebDriver browser = startBrowser();
      try {
        browser.get(cluster.adminUrl(0) + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> nodesUp(b).size() == 3 && nodesUp(b).values().stream().allMatch(Boolean::booleanValue));
        wait.until(b -> pageLeaders(b).equals(actualLeaders(cluster)));
        assertThat(pageLeaders(browser)).hasSize(SHARDS).containsValue(victimId);
        // rates need two samples; the load keeps them above zero
        wait.until(b -> !List.of("", "–", "0").contains(text(b, "#total-ops")));
        assertThat(text(browser, "#nodes-up")).isEqualTo("3/3");
        assertThat(text(browser, "#shards-led")).isEqualTo("3/3");
        assertThat(text(browser, "#migrations")).isEqualTo("none");
        assertThat(count(browser, "#ring path")).isEqualTo(SHARDS);
        // each node's data against max-data-memory (60 % of its heap), from its own gauges
        for (int i = 0; i < 3; i++) {
          assertThat(text(browser, "#nodes tbody tr[data-node='" + cluster.config(i).nodeId().value() + "'] .data-memory"))
              .matches("[0-9.]+ (B|KiB|MiB) / [0-9.]+ (MiB|GiB)");
        }
        screenshot(browser, "1-healthy.png");

        long killedAt = System.nanoTime();
        cluster.kill(victim);
        wait.until(b -> Boolean.FALSE.equals(nodesUp(b).get(victimId)));
        long downAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        wait.until(b -> {
          Map<Integer, String> shown = pageLeaders(b);
          return shown.size() == SHARDS && !shown.containsValue(victimId) && !shown.containsValue("")
              && shown.equals(actualLeaders(cluster));
        });
        long newLeadersAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.printf("dashboard showed %s down after %d ms and every shard led again after %d ms%n",
            victimId, downAfterMillis, newLeadersAfterMillis);
        assertThat(text(browser, "#nodes-up")).isEqualTo("2/3");
        assertThat(text(browser, "#shards-led")).isEqualTo("3/3");
        assertThat(text(browser, "#nodes tbody tr[data-node='" + victimId + "'] .status")).isEqualTo("DOWN");
        assertThat(count(browser, "#shards .chip.down")).isEqualTo(SHARDS);
        screenshot(browser, "2-node-down.png");
      } finally {
        browser.quit();
        running.set(false);
        writer.get(60, TimeUnit.SECONDS);
        load.shutdown();
      }
    }
  }

  /** A node other than 0 (whose dashboard the test reads) that leads some shard. */
  private static Optional<Integer> victim(MiniCluster cluster) {
    return IntStream.range(0, SHARDS).mapToObj(s -> cluster.leaderIndex(ShardId.of(s)))
        .flatMap(Optional::stream).filter(i -> i != 0).findFirst();
  }

  private static Map<Integer, String> actualLeaders(MiniCluster cluster) {
    Map<Integer, String> leaders = new HashMap<>();
    for (int s = 0; s < SHARDS; s++) {
      int shard = s;
      cluster.leaderIndex(ShardId.of(s)).ifPresent(i -> leaders.put(shard, cluster.config(i).nodeId().value()));
    }
    return leaders;
  }

  /** Shard id to the leader the page shows ("" for none), read in one script call (rows are redrawn each poll). */
  @SuppressWarnings("unchecked")
  private static Map<Integer, String> pageLeaders(WebDriver browser) {
    List<List<Object>> rows = (List<List<Object>>) ((JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('#shards tbody tr')].map(r => [r.dataset.shard, r.dataset.leader]);");
    Map<Integer, String> leaders = new HashMap<>();
    rows.forEach(r -> leaders.put(Integer.parseInt((String) r.get(0)), (String) r.get(1)));
    return leaders;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Boolean> nodesUp(WebDriver browser) {
    List<List<Object>> rows = (List<List<Object>>) ((JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('#nodes tbody tr')].map(r => [r.dataset.node, r.dataset.up]);");
    Map<String, Boolean> up = new HashMap<>();
    rows.forEach(r -> up.put((String) r.get(0), "true".equals(r.get(1))));
    return up;
  }

  private static String text(WebDriver browser, String css) {
    Object text = ((JavascriptExecutor) browser).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css);
    return String.valueOf(text);
  }

  private static long count(WebDriver browser, String css) {
    return (Long) ((JavascriptExecutor) browser).executeScript("return document.querySelectorAll(arguments[0]).length;", css);
  }

  private static void requireBrowser() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("DashboardBrowserIT needs Debian's chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
          + "; install them with: apt-get install -y chromium chromium-driver (.ci/run does this on CI)");
    }
  }

  private static WebDriver startBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--window-size=1440,1300", "--force-device-scale-factor=1", "--force-dark-mode");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
    return new ChromeDriver(service, options);
  }

  private static void screenshot(WebDriver browser, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }
}
