package ringkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.client.AsyncKvClient;
import ringkv.client.KvTimeoutException;
import ringkv.client.KvUnavailableException;

class LoadRunnerTest {
  /** An in-memory client: every call completes at once; every 10th put fails as UNAVAILABLE. */
  private static AsyncKvClient fakeClient(AtomicLong calls) {
    return (AsyncKvClient) Proxy.newProxyInstance(AsyncKvClient.class.getClassLoader(),
        new Class<?>[] {AsyncKvClient.class}, (proxy, method, args) -> {
          long n = calls.incrementAndGet();
          if (method.getName().equals("put") && n % 10 == 0) {
            return CompletableFuture.failedFuture(new KvUnavailableException(Status.Code.UNAVAILABLE,
                ErrorReason.NO_LEADER, "no leader", false, null));
          }
          return CompletableFuture.completedFuture(null);
        });
  }

  private static BenchSettings settings(Workload workload, long ops, double rate) {
    return new BenchSettings(List.of("127.0.0.1:1"), workload, 0.5, 1000, 16, 10, KeyDistribution.ZIPFIAN, 2, 4,
        Duration.ofSeconds(30), ops, Duration.ZERO, rate, false, false, 10, Duration.ofSeconds(1), 1, null);
  }

  @Test
  void run_opsLimit_countsEveryMeasuredOperationOnce() throws Exception {
    AtomicLong calls = new AtomicLong();
    BenchSettings s = settings(Workload.WRITE, 500, 0);
    KeySpace keys = new KeySpace(s.keys(), s.keySize(), s.distribution());
    var out = new ByteArrayOutputStream();
    BenchReport report = new LoadRunner(s, new Operations(s, fakeClient(calls), keys),
        new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    assertThat(report.ops() + report.errorCount()).isEqualTo(500);
    assertThat(report.errors()).containsOnlyKeys("UNAVAILABLE/NO_LEADER");
    assertThat(report.errors().get("UNAVAILABLE/NO_LEADER")).isEqualTo(50);
    assertThat(report.warmupOps()).isZero();
  }

  @Test
  void run_openLoop_sendsAtTheScheduledRate() throws Exception {
    AtomicLong calls = new AtomicLong();
    BenchSettings s = settings(Workload.READ, 100, 1000); // 100 ops at 1000/s: about 0.1 s
    KeySpace keys = new KeySpace(s.keys(), s.keySize(), s.distribution());
    BenchReport report = new LoadRunner(s, new Operations(s, fakeClient(calls), keys),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
    assertThat(report.ops()).isEqualTo(100);
    assertThat(report.seconds()).isBetween(0.09, 2.0);
  }

  @Test
  void errorCode_unwrapsAndNamesCodeAndReason() {
    var timeout = new KvTimeoutException(Status.Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_UNSPECIFIED,
        "late", true, null);
    assertThat(LoadRunner.errorCode(new CompletionException(timeout))).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(LoadRunner.errorCode(Status.UNAVAILABLE.asRuntimeException())).isEqualTo("UNAVAILABLE");
    assertThat(LoadRunner.errorCode(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void progressLine_showsRatePercentilesAndErrors() {
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 100; i++) {
      h.recordValue(i * 100L);
    }
    assertThat(LoadRunner.progressLine(12, false, h, 1.0, 3))
        .isEqualTo("t=12s ops/s=100 p50=5.00ms p99=9.90ms errors=3");
    assertThat(LoadRunner.progressLine(2, true, h, 1.0, 0)).startsWith("t=2s (warm-up) ops/s=100");
  }
}
