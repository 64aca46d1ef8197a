package ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void minFreeDisk_acceptsBytesAndBinaryUnits_flagOverridesEnv() {
    assertThat(ConfigLoader.parseSize("min-free-disk", "1048576")).isEqualTo(1L << 20);
    assertThat(ConfigLoader.parseSize("min-free-disk", "512MiB")).isEqualTo(512L << 20);
    assertThat(ConfigLoader.parseSize("min-free-disk", "2GiB")).isEqualTo(2L << 30);
    NodeConfig config = ConfigLoader.load(null, Map.of("RINGKV_MIN_FREE_DISK", "1GiB"), Map.of("min-free-disk", "64MiB"));
    assertThat(config.limits().minFreeDiskBytes()).isEqualTo(64L << 20);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).limits().minFreeDiskBytes())
        .isEqualTo(RequestLimits.DEFAULTS.minFreeDiskBytes());
  }

  @Test
  void badSize_namesTheSettingAndTheForm() {
    assertThatThrownBy(() -> ConfigLoader.parseSize("min-free-disk", "12 parsecs"))
        .hasMessageContaining("min-free-disk").hasMessageContaining("256MiB");
    assertThatThrownBy(() -> ConfigLoader.parseSize("min-free-disk", "99999999999TiB"))
        .hasMessageContaining("too large");
  }

  @Test
  void maxDataMemory_isAShareOfTheHeapOrASize_andDefaultsToSixtyPercent() {
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).limits().maxDataMemoryBytes()).isEqualTo(heap / 100 * 60);
    assertThat(ConfigLoader.load(null, Map.of("RINGKV_MAX_DATA_MEMORY", "25%"), Map.of()).limits().maxDataMemoryBytes())
        .isEqualTo(heap / 100 * 25);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("max-data-memory", "2GiB")).limits().maxDataMemoryBytes())
        .isEqualTo(2L << 30);
    assertThatThrownBy(() -> ConfigLoader.parseMemoryLimit("max-data-memory", "0%"))
        .hasMessageContaining("max-data-memory").hasMessageContaining("1% to 100%");
    assertThatThrownBy(() -> ConfigLoader.parseMemoryLimit("max-data-memory", "150%"))
        .hasMessageContaining("1% to 100%").hasMessageContaining("150%");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("max-data-memory", "0")))
        .hasMessageContaining("max-data-memory must be > 0");
  }

  @Test
  void entriesInFlight_defaultsToOne_andIsBounded() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).raft().entriesInFlight()).isEqualTo(1);
    assertThat(ConfigLoader.load(null, Map.of("RINGKV_ENTRIES_IN_FLIGHT", "4"), Map.of()).raft().entriesInFlight()).isEqualTo(4);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("entries-in-flight", "0")))
        .hasMessageContaining("entriesInFlight").hasMessageContaining("got 0");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("entries-in-flight", "99999999999")))
        .hasMessageContaining("between 1 and 1024");
  }
}
