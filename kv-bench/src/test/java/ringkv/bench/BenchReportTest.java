package ringkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static BenchReport sample() {
    Histogram micros = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      micros.recordValue(i * 10L); // 10 us .. 10 ms
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("workload", "mixed");
    settings.put("read_ratio", 0.5);
    settings.put("threads", 4);
    settings.put("preload", false);
    return BenchReport.of(settings, 2.0, micros, 3, Map.of("UNAVAILABLE/NO_LEADER", 2L, "DEADLINE_EXCEEDED", 1L), 77);
  }

  @Test
  void of_histogram_computesThroughputAndPercentiles() {
    BenchReport r = sample();
    assertThat(r.ops()).isEqualTo(1000);
    assertThat(r.opsPerSecond()).isEqualTo(500);
    assertThat(r.p50Ms()).isBetween(4.99, 5.01);
    assertThat(r.p99Ms()).isBetween(9.89, 9.91);
    assertThat(r.maxMs()).isBetween(9.99, 10.01);
    assertThat(r.errorCount()).isEqualTo(3);
  }

  @Test
  void toText_showsEveryFigure() {
    assertThat(sample().toText()).isEqualTo("""
        settings: workload=mixed read_ratio=0.5 threads=4 preload=false
        measured: 1,000 ops in 2.0 s = 500 ops/s (warm-up: 77 ops, excluded)
        latency ms: p50=5.003 p95=9.503 p99=9.903 p99.9=9.991 max=10.007
        cas conflicts (succeeded=false, not errors): 3
        errors: 3 DEADLINE_EXCEEDED=1 UNAVAILABLE/NO_LEADER=2
        """);
  }

  @Test
  void toJson_isOneObjectWithTheSameFigures() {
    assertThat(sample().toJson()).isEqualTo("""
        {
          "settings": {
            "workload": "mixed",
            "read_ratio": 0.500,
            "threads": 4,
            "preload": false
          },
          "seconds": 2,
          "ops": 1000,
          "ops_per_second": 500,
          "latency_ms": {"p50": 5.003, "p95": 9.503, "p99": 9.903, "p99_9": 9.991, "max": 10.007},
          "cas_conflicts": 3,
          "error_count": 3,
          "errors": {"DEADLINE_EXCEEDED": 1, "UNAVAILABLE/NO_LEADER": 2},
          "warmup_ops": 77
        }
        """);
  }

  @Test
  void toJson_emptyRun_hasZerosNotNaN() {
    BenchReport r = BenchReport.of(Map.of("a\"b", "c\\d"), 0, new Histogram(3), 0, Map.of(), 0);
    assertThat(r.toJson()).contains("\"a\\\"b\": \"c\\\\d\"", "\"ops_per_second\": 0", "\"p99\": 0");
    assertThat(r.toText()).contains("errors: 0");
  }
}
