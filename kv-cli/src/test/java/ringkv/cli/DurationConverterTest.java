package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "10s, PT10S",
    "2m, PT2M",
    "1h, PT1H",
    "1m30s, PT1M30S",
    "1.5s, PT1.5S",
    "250us, PT0.00025S",
    "250µs, PT0.00025S",
    "7ns, PT0.000000007S",
    "PT15S, PT15S",
    "' 3s ', PT3S"
  })
  void parse_validForms_giveDuration(String text, String iso) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "10x", "-1s", "1s-", "ten seconds", "1.s", "PTxS"})
  void parse_malformed_notADuration(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0ms", "PT0S", "PT-1S"})
  void parse_zeroOrNegative_rejected(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text)).hasMessageContaining("is not positive");
  }

  @org.junit.jupiter.api.Test
  void parse_overflow_rejected() {
    assertThatThrownBy(() -> DurationConverter.parse("99999999999999h"))
        .hasMessageContaining("too long");
  }

  @org.junit.jupiter.api.Test
  void convert_malformed_typeConversionExceptionForPicocli() {
    assertThatThrownBy(() -> new DurationConverter().convert("5"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'5' is not a duration");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "PT2S, 2s",
    "PT0.5S, 500ms",
    "PT1.5S, 1.5s",
    "PT2M, 2m",
    "PT90S, 90s",
    "PT1H, 1h",
    "PT0.00025S, 250us",
    "PT0.000000007S, 7ns"
  })
  void format_largestExactUnit_parsesBack(String iso, String text) {
    java.time.Duration duration = java.time.Duration.parse(iso);
    assertThat(DurationConverter.format(duration)).isEqualTo(text);
    assertThat(DurationConverter.parse(text)).isEqualTo(duration);
  }
}
