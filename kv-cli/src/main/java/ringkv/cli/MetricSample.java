package ringkv.cli;

import java.util.Map;

/**
 * One sample line of a Prometheus text exposition: {@code name{labels} value}.
 *
 * @param labels label name to value; a label that is absent reads as empty, as in Prometheus
 * @param value the value; may be NaN or infinite
 */
record MetricSample(String name, Map<String, String> labels, double value) {
  MetricSample {
    labels = Map.copyOf(labels);
  }

  /** The value of label {@code name}, or {@code ""} when the sample has no such label. */
  String label(String name) {
    return labels.getOrDefault(name, "");
  }
}
