package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code del-range} and {@code del-prefix}. */
class DeleteRangeCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private void seed(String... keys) {
    for (String key : keys) {
      kvctl.cluster.seed(key, "v");
    }
  }

  private List<String> keys() {
    return kvctl.cluster.data.keySet().stream().map(ByteString::toStringUtf8).toList();
  }

  @Test
  void delRange_halfOpen_printsCount() {
    seed("a", "b", "c", "d");
    Kvctl.Run run = kvctl.run("del-range", "b", "d");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("deleted 2 keys\n");
    assertThat(run.err()).isEmpty();
    assertThat(keys()).containsExactly("a", "d");
  }

  @Test
  void delRange_withoutEnd_toTheLastKey() {
    seed("a", "b", "c");
    assertThat(kvctl.run("del-range", "b").out()).isEqualTo("deleted 2 keys\n");
    assertThat(keys()).containsExactly("a");
    assertThat(kvctl.cluster.deletedRanges.get(0).get(1)).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void delRange_oneOrNone_exit0() {
    seed("a");
    assertThat(kvctl.run("del-range", "a", "b").out()).isEqualTo("deleted 1 key\n");
    Kvctl.Run none = kvctl.run("del-range", "a", "b");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEqualTo("deleted 0 keys\n");
  }

  @Test
  void delRange_json() {
    seed("a", "b");
    assertThat(kvctl.run("del-range", "a", "-o", "json").out()).isEqualTo("{\"deleted\":2}\n");
  }

  @Test
  void delRange_hex() {
    kvctl.run("--hex", "put", "00ff", "01");
    kvctl.run("--hex", "put", "01", "01");
    assertThat(kvctl.run("--hex", "del-range", "00", "01").out()).isEqualTo("deleted 1 key\n");
    assertThat(kvctl.cluster.data).containsOnlyKeys(ByteString.copyFrom(new byte[] {1}));
  }

  @Test
  void delRange_endBeforeStart_serverRefuses_exit1() {
    seed("a", "c");
    Kvctl.Run run = kvctl.run("del-range", "c", "a");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("kvctl: error: end must not sort before start");
    assertThat(keys()).containsExactly("a", "c");
  }

  @Test
  void delPrefix_onlyKeysWithIt() {
    seed("u", "user/1", "user/2", "users");
    Kvctl.Run run = kvctl.run("del-prefix", "user/");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("deleted 2 keys\n");
    assertThat(keys()).containsExactly("u", "users");
    assertThat(kvctl.run("del-prefix", "nothing", "-o", "json").out()).isEqualTo("{\"deleted\":0}\n");
  }

  @Test
  void delPrefix_empty_refusedWithoutAllKeys_exit2_nothingSent() {
    seed("a", "b");
    Kvctl.Run run = kvctl.run("del-prefix", "");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: an empty PREFIX deletes every key: add --all-keys if that is what you"
                + " mean (see 'kvctl del-prefix --help')\n");
    assertThat(kvctl.cluster.configs).isEmpty();
    assertThat(keys()).containsExactly("a", "b");
  }

  @Test
  void delPrefix_allKeys_deletesEverything_fromTheFirstKey() {
    kvctl.run("--hex", "put", "00", "01");
    seed("a", "b");
    Kvctl.Run run = kvctl.run("del-prefix", "--all-keys");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("deleted 3 keys\n");
    assertThat(kvctl.cluster.data).isEmpty();
    // the API refuses an empty prefix; [0x00, no end) is every key
    assertThat(kvctl.cluster.deletedRanges)
        .containsExactly(List.of(ByteString.copyFrom(new byte[] {0}), ByteString.EMPTY));

    seed("c");
    assertThat(kvctl.run("del-prefix", "", "--all-keys").out()).isEqualTo("deleted 1 key\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "del-prefix",
        "del-prefix a --all-keys",
        "del-prefix a b",
        "del-prefix a -o xml",
        "--hex del-prefix 0"
      })
  void delPrefix_usageErrors_exit2(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: ").endsWith("(see 'kvctl del-prefix --help')");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"del-range", "del-range a b c", "--hex del-range zz", "--hex del-range 00 z"})
  void delRange_usageErrors_exit2(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).endsWith("(see 'kvctl del-range --help')");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void usageMessages() {
    assertThat(kvctl.run("del-range", "").err())
        .startsWith(
            "kvctl: error: START must not be empty; to delete every key: kvctl del-prefix --all-keys");
    assertThat(kvctl.run("del-prefix").err())
        .startsWith("kvctl: error: missing PREFIX (to delete every key: --all-keys)");
    assertThat(kvctl.run("del-prefix", "a", "--all-keys").err())
        .startsWith("kvctl: error: --all-keys deletes every key: give no PREFIX with it");
  }
}
