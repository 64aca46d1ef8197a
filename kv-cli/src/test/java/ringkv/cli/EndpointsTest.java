package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointsTest {
  @Test
  void parse_list_trimsAndKeepsOrder() {
    assertThat(Endpoints.parse("h1:8001, 10.0.0.2:8002 ,[::1]:8003", "--endpoints"))
        .containsExactly("h1:8001", "10.0.0.2:8002", "[::1]:8003");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bad",
        "host:",
        ":8001",
        "host:port",
        "host:0",
        "host:65536",
        "a:1,,b:2",
        "::1:8001",
        ""
      })
  void parse_malformed_usageExceptionNamingOrigin(String text) {
    assertThatThrownBy(() -> Endpoints.parse(text, "--endpoints"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("invalid --endpoints '" + text + "': ")
        .hasMessageEndingWith("(expected host:port[,host:port...])");
  }

  @Test
  void hostAndPort_ipv6_bracketsStripped() {
    assertThat(Endpoints.host("[::1]:8003")).isEqualTo("::1");
    assertThat(Endpoints.port("[::1]:8003")).isEqualTo(8003);
    assertThat(Endpoints.host("127.0.0.1:8001")).isEqualTo("127.0.0.1");
  }
}
