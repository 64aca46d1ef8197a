package ringkv.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToxicSpecTest {

  @Test
  void of_missingAndUnknownAttributes_defaultsToZeroAndIgnoresUnknown() {
    var spec =
        ToxicSpec.of(
            "s", ToxicType.SLICER, StreamDirection.UPSTREAM, 1.0, Map.of("delay", 5L, "x", 1L));

    assertThat(spec.attributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("average_size", 0L, "size_variation", 0L, "delay", 5L));
  }

  @Test
  void withAttributes_partialChange_mergesIntoExisting() {
    var spec =
        ToxicSpec.of(
            "l", ToxicType.LATENCY, StreamDirection.DOWNSTREAM, 1.0, Map.of("latency", 100L));

    var changed = spec.withAttributes(Map.of("jitter", 7L, "rate", 3L)).withToxicity(0.5);

    assertThat(changed.attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("latency", 100L, "jitter", 7L));
    assertThat(changed.toxicity()).isEqualTo(0.5);
  }

  @Test
  void constructor_attributesOfAnotherType_isRejected() {
    assertThatThrownBy(
            () ->
                new ToxicSpec(
                    "t", ToxicType.TIMEOUT, StreamDirection.UPSTREAM, 1.0, Map.of("rate", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attributes of timeout must be [timeout]");
  }

  @Test
  void hostPort_parseAndFormat_roundTripsIpv4AndIpv6() {
    assertThat(HostPort.parse("127.0.0.1:80")).isEqualTo(new HostPort("127.0.0.1", 80));
    assertThat(HostPort.parse("[::1]:0").toString()).isEqualTo("[::1]:0");
    assertThat(HostPort.parse(":8474")).isEqualTo(new HostPort("", 8474));
    assertThatThrownBy(() -> HostPort.parse("localhost")).hasMessageContaining("host:port");
  }
}
