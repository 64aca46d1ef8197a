package ringkv.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkAddressesTest {
  @TempDir
  Path dir;

  @Test
  void hostsFile_ofNode2_pointsAtItsOwnLinks_andAtItselfDirectly() throws Exception {
    Path file = dir.resolve("hosts-n2");
    LinkAddresses.writeHostsFile(file, 2, List.of("n1", "n2", "n3"));
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).contains("127.77.2.1 n1.chaos", "127.0.0.1 n2.chaos", "127.77.2.3 n3.chaos", "127.0.0.1 localhost");
  }

  @Test
  void hostsFile_ofClients_pointsAtClientLinks() throws Exception {
    Path file = dir.resolve("hosts");
    LinkAddresses.writeHostsFile(file, LinkAddresses.CLIENTS, List.of("n1", "n2"));
    assertThat(Files.readAllLines(file)).contains("127.77.0.1 n1.chaos", "127.77.0.2 n2.chaos");
  }

  @Test
  void address_outOfRange_refused() {
    assertThatThrownBy(() -> LinkAddresses.address(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkAddresses.address(251, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void proxyName_usesOnlyUrlSafeCharacters() {
    assertThat(new Link(1, 3, Link.Port.RAFT).proxyName()).isEqualTo("n1_to_n3_raft");
    assertThat(new Link(0, 2, Link.Port.API).proxyName()).isEqualTo("clients_to_n2_api");
    assertThatThrownBy(() -> new Link(2, 2, Link.Port.API)).isInstanceOf(IllegalArgumentException.class);
  }
}
