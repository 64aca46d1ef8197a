package ringkv.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToxiproxyServerMainTest {

  @Test
  void parse_noFlags_usesLoopbackAndDefaultPort() {
    var options = ToxiproxyServerMain.parse(new String[0]);

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8474);
  }

  @Test
  void parse_allFlags_areRead() {
    var options =
        ToxiproxyServerMain.parse(new String[] {"--host", "::1", "--port", "0", "--seed", "7"});

    assertThat(options).isEqualTo(new ToxiproxyServerMain.Options("::1", 0, 7));
  }

  @Test
  void parse_badFlags_failWithOneLineMessage() {
    assertThatThrownBy(() -> ToxiproxyServerMain.parse(new String[] {"--bogus", "1"}))
        .hasMessage("unknown flag --bogus");
    assertThatThrownBy(() -> ToxiproxyServerMain.parse(new String[] {"--port"}))
        .hasMessage("missing value for --port");
    assertThatThrownBy(() -> ToxiproxyServerMain.parse(new String[] {"--port", "x"}))
        .hasMessage("--port must be a number: x");
    assertThatThrownBy(() -> ToxiproxyServerMain.parse(new String[] {"--port", "70000"}))
        .hasMessage("--port must be in 0..65535: 70000");
  }
}
