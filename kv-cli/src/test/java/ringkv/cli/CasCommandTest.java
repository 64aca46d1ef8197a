package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ringkv.api.v1.ErrorReason;

class CasCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private String value(String key) {
    var kv = kvctl.cluster.data.get(ByteString.copyFromUtf8(key));
    return kv == null ? null : kv.value().toStringUtf8();
  }

  @Test
  void expect_matches_writesAndPrintsOk() {
    kvctl.run("put", "k", "v1");
    Kvctl.Run run = kvctl.run("cas", "k", "v2", "--expect", "v1");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("OK revision=42 shard=7\n");
    assertThat(run.err()).isEmpty();
    assertThat(value("k")).isEqualTo("v2");
  }

  @Test
  void expect_differs_exit4_currentValueOnStderr_nothingWritten() {
    kvctl.run("put", "k", "v1");
    kvctl.run("put", "k", "v9");
    Kvctl.Run run = kvctl.run("cas", "k", "v2", "--expect", "v1");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.COMPARE_FAILED).isEqualTo(4);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err()).isEqualTo("kvctl: compare failed: current value v9 (version 2)\n");
    assertThat(value("k")).isEqualTo("v9");
  }

  @Test
  void expect_missingKey_keyDoesNotExist() {
    Kvctl.Run run = kvctl.run("cas", "k", "v2", "--expect", "v1");
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.err()).isEqualTo("kvctl: compare failed: key does not exist\n");
    assertThat(kvctl.cluster.data).isEmpty();
  }

  @Test
  void absent_createsOnce_thenFails() {
    Kvctl.Run first = kvctl.run("cas", "lock", "owner-a", "--absent");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).isEqualTo("OK revision=41 shard=7\n");

    Kvctl.Run second = kvctl.run("cas", "lock", "owner-b", "--absent");
    assertThat(second.exitCode()).isEqualTo(4);
    assertThat(second.err()).isEqualTo("kvctl: compare failed: current value owner-a (version 1)\n");
    assertThat(value("lock")).isEqualTo("owner-a");
  }

  @Test
  void expectVersion_matchesOrNot_zeroMeansAbsent() {
    assertThat(kvctl.run("cas", "k", "v1", "--expect-version", "0").exitCode()).isZero();
    assertThat(kvctl.run("cas", "k", "v2", "--expect-version", "1").exitCode()).isZero();
    Kvctl.Run stale = kvctl.run("cas", "k", "v3", "--expect-version", "1");
    assertThat(stale.exitCode()).isEqualTo(4);
    assertThat(stale.err()).isEqualTo("kvctl: compare failed: current value v2 (version 2)\n");
    assertThat(kvctl.run("cas", "nope", "v", "--expect-version", "3").err())
        .isEqualTo("kvctl: compare failed: key does not exist\n");
  }

  @Test
  void delete_expectMatches_deletes() {
    kvctl.run("put", "k", "v1");
    Kvctl.Run run = kvctl.run("cas", "k", "--delete", "--expect", "v1");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("OK revision=42 shard=7\n");
    assertThat(kvctl.cluster.data).isEmpty();
  }

  @Test
  void delete_expectDiffers_exit4_keyKept() {
    kvctl.run("put", "k", "v1");
    Kvctl.Run run = kvctl.run("cas", "--delete", "k", "--expect", "other");
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.err()).isEqualTo("kvctl: compare failed: current value v1 (version 1)\n");
    assertThat(value("k")).isEqualTo("v1");
  }

  @Test
  void json_success_and_failure_carryCurrentKey() {
    Kvctl.Run ok = kvctl.run("cas", "-o", "json", "k", "v", "--absent");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.out())
        .isEqualTo(
            "{\"succeeded\":true,\"revision\":41,\"shard\":7,\"current\":{\"key\":\"aw==\","
                + "\"value\":\"dg==\",\"create_revision\":41,\"mod_revision\":41,\"version\":1}}\n");

    Kvctl.Run failed = kvctl.run("cas", "-o", "json", "k", "w", "--expect", "x");
    assertThat(failed.exitCode()).isEqualTo(4);
    assertThat(failed.out())
        .isEqualTo(
            "{\"succeeded\":false,\"revision\":41,\"shard\":7,\"current\":{\"key\":\"aw==\","
                + "\"value\":\"dg==\",\"create_revision\":41,\"mod_revision\":41,\"version\":1}}\n");
    assertThat(failed.err()).isEqualTo("kvctl: compare failed: current value v (version 1)\n");

    Kvctl.Run missing = kvctl.run("cas", "-o", "json", "nope", "w", "--expect", "x");
    assertThat(missing.out())
        .isEqualTo("{\"succeeded\":false,\"revision\":41,\"shard\":7,\"current\":null}\n");
  }

  @Test
  void hex_appliesToKeyNewValueAndExpected() {
    kvctl.run("--hex", "put", "00ff", "01");
    Kvctl.Run run = kvctl.run("--hex", "cas", "00ff", "0a0b", "--expect", "01");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.cluster.data.get(ByteString.copyFrom(new byte[] {0, (byte) 0xff})).value())
        .isEqualTo(ByteString.copyFrom(new byte[] {10, 11}));

    Kvctl.Run failed = kvctl.run("--hex", "cas", "00ff", "0c", "--expect", "01");
    assertThat(failed.err()).isEqualTo("kvctl: compare failed: current value 0a0b (version 2)\n");
  }

  @Test
  void binaryCurrentValue_shownAsHexCell() {
    kvctl.runWithStdin(new byte[] {0, 1, 2}, "put", "bin", "-");
    assertThat(kvctl.run("cas", "bin", "x", "--expect", "y").err())
        .isEqualTo("kvctl: compare failed: current value 0x000102 (version 1)\n");
  }

  @Test
  void newValue_fromStdinOrFile(@TempDir Path dir) throws IOException {
    kvctl.run("put", "k", "v1");
    assertThat(kvctl.runWithStdin("from stdin".getBytes(UTF_8), "cas", "k", "-", "--expect", "v1").exitCode())
        .isZero();
    assertThat(value("k")).isEqualTo("from stdin");
    Path file = Files.writeString(dir.resolve("v.txt"), "from file");
    assertThat(kvctl.run("cas", "k", "--file", file.toString(), "--expect", "from stdin").exitCode())
        .isZero();
    assertThat(value("k")).isEqualTo("from file");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cas k v",
        "cas k v --expect a --absent",
        "cas k v --expect a --expect-version 1",
        "cas k v --expect-version -1",
        "cas k v --expect-version x",
        "cas k --expect a",
        "cas k --delete --absent",
        "cas k --delete --expect-version 2",
        "cas k v --delete --expect a",
        "cas --hex k v --expect a",
        "--hex cas 00 01 --expect zz",
        "cas k v --absent -o xml",
        "cas"
      })
  void usageErrors_exit2_nothingSent(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: ").endsWith("(see 'kvctl cas --help')");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void usageErrors_messages() {
    assertThat(kvctl.run("cas", "k", "v").err())
        .isEqualTo(
            "kvctl: error: missing condition: give exactly one of --expect VALUE, --expect-version"
                + " N or --absent (see 'kvctl cas --help')\n");
    assertThat(kvctl.run("cas", "k", "v", "--absent", "--expect", "a").err())
        .startsWith("kvctl: error: conflicting conditions: give exactly one of");
    assertThat(kvctl.run("cas", "k", "--delete", "--absent").err())
        .startsWith("kvctl: error: --delete compares the value: give --expect VALUE");
    assertThat(kvctl.run("--hex", "cas", "00", "01", "--expect", "zz").err())
        .startsWith("kvctl: error: --expect is not valid hex: 'z' at position 0");
  }

  @Test
  void requestFailure_exit1() {
    kvctl.cluster.failure =
        FakeCluster.failure(Status.Code.UNAVAILABLE, ErrorReason.NO_LEADER, "no leader", false);
    Kvctl.Run run = kvctl.run("cas", "k", "v", "--absent");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvctl: error: no leader [code UNAVAILABLE, reason NO_LEADER]\n");
    assertThat(kvctl.cluster.closedClients).isEqualTo(1);
  }

  @Test
  void help_listsExitCode4() {
    assertThat(kvctl.run("--help").out()).contains("cas", "txn", "shell", "4   cas: the comparison failed");
    assertThat(kvctl.run("cas", "--help").out())
        .contains("--expect", "--expect-version", "--absent", "--delete");
  }
}
