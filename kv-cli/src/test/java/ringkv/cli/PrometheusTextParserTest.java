package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextParserTest {
  private static List<MetricSample> parse(String text) {
    return PrometheusTextParser.parse(text, name -> true);
  }

  private static MetricSample only(String line) {
    List<MetricSample> samples = parse(line);
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }

  @Test
  void parse_serverLines_nameLabelsValue() {
    // verbatim from a node's /metrics
    String text =
        """
# HELP ringkv_shard_is_leader 1 if this node's replica leads the group, else 0
# TYPE ringkv_shard_is_leader gauge
ringkv_shard_is_leader{shard="0"} 0.0
ringkv_shard_is_leader{shard="meta"} 1.0
grpc_server_processing_duration_seconds_bucket{code="OK",method="Put",method_type="UNARY",service="ringkv.v1.KV",le="0.001048576"} 0
grpc_server_processing_duration_seconds_count{code="OK",method="Put",method_type="UNARY",service="ringkv.v1.KV"} 1
jvm_threads_live_threads 42.0
""";
    assertThat(parse(text))
        .containsExactly(
            new MetricSample("ringkv_shard_is_leader", Map.of("shard", "0"), 0),
            new MetricSample("ringkv_shard_is_leader", Map.of("shard", "meta"), 1),
            new MetricSample(
                "grpc_server_processing_duration_seconds_bucket",
                Map.of(
                    "code", "OK",
                    "method", "Put",
                    "method_type", "UNARY",
                    "service", "ringkv.v1.KV",
                    "le", "0.001048576"),
                0),
            new MetricSample(
                "grpc_server_processing_duration_seconds_count",
                Map.of(
                    "code",
                    "OK",
                    "method",
                    "Put",
                    "method_type",
                    "UNARY",
                    "service",
                    "ringkv.v1.KV"),
                1),
            new MetricSample("jvm_threads_live_threads", Map.of(), 42));
  }

  @Test
  void parse_escapedLabelValues_unescaped() {
    MetricSample s =
        only("m{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\",multi=\"a\\nb\",brace=\"}{,=\"} 1");
    assertThat(s.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("path", "C:\\dir", "msg", "say \"hi\"", "multi", "a\nb", "brace", "}{,="));
  }

  @Test
  void parse_specialValues() {
    assertThat(only("a NaN").value()).isNaN();
    assertThat(only("a +Inf").value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(only("a -Inf").value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(only("a Inf").value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(only("a 1.5e-3").value()).isEqualTo(0.0015);
    assertThat(only("a -2").value()).isEqualTo(-2);
    assertThat(only("a .5").value()).isEqualTo(0.5);
    assertThat(only("h_bucket{le=\"+Inf\"} 7").label("le")).isEqualTo("+Inf");
  }

  @Test
  void parse_timestampAndExemplar_dropped() {
    assertThat(only("a{x=\"1\"} 3 1700000000000").value()).isEqualTo(3);
    assertThat(only("a 3 # {trace_id=\"abc\"} 1.0 1700000000.1").value()).isEqualTo(3);
    assertThat(only("a 3 1700000000000 # {trace_id=\"abc\"} 1.0").value()).isEqualTo(3);
  }

  @Test
  void parse_blanksTrailingCommaCrlf_tolerated() {
    assertThat(parse("\n  \t\na { x = \"1\" , } \t 2\r\n# comment\n#\n"))
        .containsExactly(new MetricSample("a", Map.of("x", "1"), 2));
    assertThat(parse("a{} 1")).containsExactly(new MetricSample("a", Map.of(), 1));
  }

  @Test
  void parse_lastLineWithoutNewline_read() {
    assertThat(parse("a 1\nb 2")).extracting(MetricSample::name).containsExactly("a", "b");
  }

  @Test
  void parse_quotedNames_utf8Form() {
    assertThat(only("{\"my.metric\",\"label.x\"=\"v\",y=\"w\"} 4"))
        .isEqualTo(new MetricSample("my.metric", Map.of("label.x", "v", "y", "w"), 4));
  }

  @Test
  void parse_unwantedNames_skippedUnchecked() {
    List<MetricSample> samples =
        PrometheusTextParser.parse(
            "jvm_thing{broken 1\nringkv_x 2\n{\"other.name\"} 3\n", n -> n.startsWith("ringkv_"));
    assertThat(samples).containsExactly(new MetricSample("ringkv_x", Map.of(), 2));
  }

  @Test
  void label_absent_empty() {
    assertThat(only("a{x=\"1\"} 1").label("y")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a{x=\"1\" 2",
        "a{x=\"1} 2",
        "a{x=1} 2",
        "a{x} 2",
        "a{x=\"\\t\"} 2",
        "a{x=\"1\",x=\"2\"} 2",
        "a{=\"1\"} 2",
        "a",
        "a{x=\"1\"}",
        "a one",
        "a 1.0f",
        "a 0x10",
        "a 1 soon",
        "a 1 2 3",
        "a{x=\"1\"}2",
        "{x=\"1\"} 2",
        "9a 1"
      })
  void parse_malformed_throwsNamingLine(String line) {
    assertThatThrownBy(() -> parse("ok 1\n" + line + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2: ");
  }

  @Test
  void parseValue_notANumber_message() {
    assertThatThrownBy(() -> PrometheusTextParser.parseValue("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'fast' is not a number");
  }
}
