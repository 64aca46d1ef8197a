package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ringkv.api.v1.ErrorReason;
import ringkv.client.ReadOptions;

class KvctlMainTest {
  private static final byte[] BINARY = {0, 1, (byte) 0xff, '\n', '\r', (byte) 0xc3, 0x7f};

  private final Kvctl kvctl = new Kvctl();

  private static void assertOneErrorLine(Kvctl.Run run, int exitCode, String messageStart) {
    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: " + messageStart);
  }

  // --- put / get / del

  @Test
  void putThenGet_text_roundTrips() {
    Kvctl.Run put = kvctl.run("put", "greeting", "hello");
    assertThat(put.exitCode()).isZero();
    assertThat(put.out()).isEqualTo("OK revision=41 shard=7\n");
    assertThat(put.err()).isEmpty();

    Kvctl.Run get = kvctl.run("get", "greeting");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("hello");
    assertThat(kvctl.cluster.closedClients).isEqualTo(2);
  }

  @Test
  void put_prevKv_printsPreviousValue() {
    kvctl.run("put", "k", "v1");
    Kvctl.Run put = kvctl.run("put", "--prev-kv", "k", "v2");
    assertThat(put.out()).isEqualTo("OK revision=42 shard=7\nv1\n");
  }

  @Test
  void put_valueStartingWithDash_afterDoubleDash() {
    assertThat(kvctl.run("put", "k", "--", "-1").exitCode()).isZero();
    assertThat(kvctl.run("get", "k").out()).isEqualTo("-1");
  }

  @Test
  void put_stdin_binarySafe() {
    Kvctl.Run put = kvctl.runWithStdin(BINARY, "put", "bin", "-");
    assertThat(put.exitCode()).isZero();
    assertThat(kvctl.run("get", "bin").outBytes()).isEqualTo(BINARY);
  }

  @Test
  void put_file_binarySafe_getOutFile_writesSameBytes(@TempDir Path dir) throws IOException {
    Path in = Files.write(dir.resolve("in.bin"), BINARY);
    Path out = dir.resolve("out.bin");
    assertThat(kvctl.run("put", "bin", "--file", in.toString()).exitCode()).isZero();

    Kvctl.Run get = kvctl.run("get", "bin", "--out-file", out.toString());
    assertThat(get.exitCode()).isZero();
    assertThat(get.outBytes()).isEmpty();
    assertThat(Files.readAllBytes(out)).isEqualTo(BINARY);
  }

  @Test
  void get_outFileWithJson_writesFileAndPrintsJson(@TempDir Path dir) throws IOException {
    kvctl.run("put", "k", "v");
    Path out = dir.resolve("v.txt");
    Kvctl.Run get = kvctl.run("get", "-o", "json", "--out-file", out.toString(), "k");
    assertThat(get.out()).startsWith("{\"found\":true,");
    assertThat(Files.readString(out)).isEqualTo("v");
  }

  @Test
  void get_outFileUnwritable_failsWithOneLine(@TempDir Path dir) {
    kvctl.run("put", "k", "v");
    Path out = dir.resolve("no-such-dir").resolve("v.txt");
    assertOneErrorLine(
        kvctl.run("get", "k", "--out-file", out.toString()), 1, "cannot write " + out);
  }

  @Test
  void put_fileAndValue_usageError(@TempDir Path dir) {
    assertOneErrorLine(
        kvctl.run("put", "k", "v", "--file", dir.resolve("f").toString()),
        2,
        "give either VALUE or --file");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void hex_keyAndValueArguments_decodedAndRawOutputInHex() {
    assertThat(kvctl.run("--hex", "put", "00ff", "68690a").exitCode()).isZero();
    assertThat(kvctl.cluster.data).containsKey(ByteString.copyFrom(new byte[] {0, (byte) 0xff}));
    assertThat(kvctl.run("--hex", "get", "00FF").out()).isEqualTo("68690a\n");
    assertThat(kvctl.run("get", "--hex", "0x00ff").out()).isEqualTo("68690a\n");
  }

  @Test
  void get_missingKey_exit3NotFoundLineOnStderr() {
    Kvctl.Run get = kvctl.run("get", "absent");
    assertThat(get.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.outBytes()).isEmpty();
    assertThat(get.err()).isEqualTo("kvctl: key not found\n");
  }

  @Test
  void get_missingKeyJson_foundFalseAndExit3() {
    Kvctl.Run get = kvctl.run("get", "-o", "json", "absent");
    assertThat(get.exitCode()).isEqualTo(3);
    assertThat(get.out())
        .isEqualTo("{\"found\":false,\"key\":\"YWJzZW50\",\"revision\":40,\"shard\":7}\n");
  }

  @Test
  void get_table_headerAndRow() {
    kvctl.run("put", "k", "v");
    assertThat(kvctl.run("get", "--output", "TABLE", "k").out())
        .isEqualTo(
            "KEY  VALUE  CREATE_REVISION  MOD_REVISION  VERSION  SHARD\n"
                + "k    v      41               41            1        7\n");
  }

  @Test
  void del_existingThenMissing_deletedThenNotFound_bothExit0() {
    kvctl.run("put", "k", "v");
    Kvctl.Run first = kvctl.run("del", "--prev-kv", "k");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).isEqualTo("deleted revision=42 shard=7\nv\n");

    Kvctl.Run second = kvctl.run("delete", "k");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).isEqualTo("not found\n");
  }

  @Test
  void del_json_deletedFlagAndPrevKv() {
    kvctl.run("put", "k", "v");
    assertThat(kvctl.run("del", "-o", "json", "--prev-kv", "k").out())
        .isEqualTo(
            "{\"deleted\":true,\"revision\":42,\"shard\":7,"
                + "\"prev_kv\":{\"key\":\"aw==\",\"value\":\"dg==\","
                + "\"create_revision\":41,\"mod_revision\":41,\"version\":1}}\n");
  }

  // --- get: consistency

  @Test
  void get_consistency_defaultLinearizable_serializableOnRequest() {
    kvctl.run("put", "k", "v");
    assertThat(kvctl.run("get", "k").out()).isEqualTo("v");
    assertThat(kvctl.run("get", "--consistency", "serializable", "k").out()).isEqualTo("v");
    assertThat(kvctl.run("get", "--consistency", "LINEARIZABLE", "k").exitCode()).isZero();
    assertThat(kvctl.cluster.reads)
        .containsExactly(ReadOptions.LINEARIZABLE, ReadOptions.SERIALIZABLE, ReadOptions.LINEARIZABLE);
  }

  @Test
  void get_minRevision_replicaLocalReadAtLeastThatRevision() {
    kvctl.run("put", "k", "v");
    assertThat(kvctl.run("get", "--min-revision", "41", "k").exitCode()).isZero();
    assertThat(kvctl.run("get", "--min-revision", "41", "--consistency", "serializable", "k").exitCode())
        .isZero();
    assertThat(kvctl.cluster.reads).containsExactly(ReadOptions.atLeast(41), ReadOptions.atLeast(41));
  }

  @Test
  void get_consistency_badValue_namesAllowedValues() {
    assertThat(kvctl.run("get", "--consistency", "strong", "k").err())
        .isEqualTo(
            "kvctl: error: Invalid value for option '--consistency': 'strong' is not one of"
                + " linearizable, serializable (see 'kvctl get --help')\n");
    assertThat(kvctl.run("get", "--consistency", "linearizable", "--min-revision", "5", "k").err())
        .isEqualTo(
            "kvctl: error: --min-revision reads from one replica (serializable); it cannot be"
                + " combined with --consistency linearizable (see 'kvctl get --help')\n");
  }

  // --- global options

  @Test
  void endpoints_default_localCluster() {
    kvctl.run("get", "k");
    assertThat(kvctl.cluster.configs.get(0).endpoints())
        .containsExactly("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003");
  }

  @Test
  void endpoints_env_usedWhenNoFlag_flagWins() {
    kvctl.env.put("RINGKV_ENDPOINTS", "10.0.0.1:9001,10.0.0.2:9001");
    kvctl.run("get", "k");
    kvctl.run("get", "k", "--endpoints", "h:1");
    assertThat(kvctl.cluster.configs.get(0).endpoints())
        .containsExactly("10.0.0.1:9001", "10.0.0.2:9001");
    assertThat(kvctl.cluster.configs.get(1).endpoints()).containsExactly("h:1");
  }

  @Test
  void endpoints_badEnv_usageErrorNamesVariable() {
    kvctl.env.put("RINGKV_ENDPOINTS", "nope");
    assertOneErrorLine(kvctl.run("get", "k"), 2, "invalid RINGKV_ENDPOINTS 'nope'");
  }

  @Test
  void timeout_setsCallDeadline_attemptCappedAt5s() {
    kvctl.run("--timeout", "2m", "get", "k");
    kvctl.run("get", "k", "--timeout", "500ms");
    assertThat(kvctl.cluster.configs.get(0).callTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(kvctl.cluster.configs.get(0).attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(kvctl.cluster.configs.get(1).callTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(kvctl.cluster.configs.get(1).attemptTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void timeout_default10s() {
    kvctl.run("get", "k");
    assertThat(kvctl.cluster.configs.get(0).callTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void globalOptions_beforeOrAfterCommand_same() {
    kvctl.run("--endpoints", "a:1", "--hex", "put", "01", "02");
    kvctl.run("put", "--endpoints", "b:2", "--hex", "03", "04");
    assertThat(kvctl.cluster.configs.get(0).endpoints()).containsExactly("a:1");
    assertThat(kvctl.cluster.configs.get(1).endpoints()).containsExactly("b:2");
    assertThat(kvctl.cluster.data)
        .containsKeys(ByteString.copyFrom(new byte[] {1}), ByteString.copyFrom(new byte[] {3}));
  }

  // --- usage errors: exit 2, one line, nothing sent

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "frob",
        "get",
        "put k",
        "get --output xml k",
        "--timeout 5 get k",
        "--timeout 0s get k",
        "get --no-such-option k",
        "get a b",
        "--hex get zz",
        "--hex put 00 abc",
        "--endpoints bad get k",
        "--endpoints host:99999 health",
        "cluster",
        "cluster frob",
        "cluster status -o xml",
        "cluster map extra",
        "--endpoints bad cluster status",
        "get --consistency strong k",
        "get --consistency linearizable --min-revision 5 k",
        "get --min-revision -1 k",
        "get --min-revision x k",
        "txn extra",
        "txn -o table",
        "shell extra"
      })
  void usageError_exit2_oneLine_nothingSent(String commandLine) {
    String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");
    Kvctl.Run run = kvctl.run(args);
    assertOneErrorLine(run, 2, "");
    assertThat(run.errLines().get(0)).endsWith("--help')");
    assertThat(run.outBytes()).isEmpty();
    assertThat(kvctl.cluster.configs).isEmpty();
    assertThat(kvctl.healthTimeouts).isEmpty();
    assertThat(kvctl.admin.calls).isEmpty();
  }

  @Test
  void usageError_messagesNameTheProblem() {
    assertThat(kvctl.run("get").err())
        .isEqualTo("kvctl: error: Missing required parameter: 'KEY' (see 'kvctl get --help')\n");
    assertThat(kvctl.run("get", "-o", "xml", "k").err())
        .isEqualTo(
            "kvctl: error: Invalid value for option '--output': 'xml' is not one of raw, json,"
                + " table (see 'kvctl get --help')\n");
    assertThat(kvctl.run().err())
        .isEqualTo(
            "kvctl: error: missing command: put, get, del, cas, txn, scan, prefix, del-range,"
                + " del-prefix, batch, snapshot, backup, restore, health, cluster, leader, shard, top"
                + " or shell"
                + " (see 'kvctl --help')\n");
  }

  @Test
  void publicRun_badEndpoints_oneLineExit2WithoutConnecting() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        KvctlMain.run(
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            new ByteArrayInputStream(new byte[0]),
            "--endpoints",
            "bad",
            "get",
            "k");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(UTF_8)).isEmpty();
    assertThat(err.toString(UTF_8))
        .isEqualTo(
            "kvctl: error: invalid --endpoints 'bad': 'bad' has no port (expected"
                + " host:port[,host:port...]) (see 'kvctl get --help')\n");
  }

  // --- request failures: exit 1, one line, stack trace only with --verbose

  @Test
  void requestFailure_exit1_oneLineWithCodeAndReason() {
    kvctl.cluster.failure =
        FakeCluster.failure(
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_TOO_LARGE,
            "value is 2 MiB, the limit is 1048576 bytes",
            false);
    Kvctl.Run run = kvctl.run("put", "k", "v");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: value is 2 MiB, the limit is 1048576 bytes [code INVALID_ARGUMENT,"
                + " reason VALUE_TOO_LARGE]\n");
    assertThat(kvctl.cluster.closedClients).isEqualTo(1);
  }

  @Test
  void requestFailure_multiLineMessage_stillOneLine() {
    kvctl.cluster.failure =
        FakeCluster.failure(
            Status.Code.UNAVAILABLE, ErrorReason.NO_LEADER, "no leader\nfor shard 3", false);
    assertOneErrorLine(
        kvctl.run("get", "k"), 1, "no leader for shard 3 [code UNAVAILABLE, reason NO_LEADER]");
  }

  @Test
  void requestFailure_verbose_stackTraceAfterErrorLine() {
    kvctl.cluster.failure =
        FakeCluster.failure(Status.Code.UNAVAILABLE, ErrorReason.NO_LEADER, "no leader", false);
    Kvctl.Run run = kvctl.run("--verbose", "get", "k");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines().get(0))
        .isEqualTo("kvctl: error: no leader [code UNAVAILABLE, reason NO_LEADER]");
    assertThat(run.errLines()).hasSizeGreaterThan(2);
    assertThat(run.errLines().get(1)).startsWith("ringkv.client.KvException: no leader");
  }

  // --- health

  @Test
  void health_allServing_linePerEndpointExit0() {
    Kvctl.Run run = kvctl.run("health", "--endpoints", "a:1,b:2", "--timeout", "3s");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("a:1 SERVING\nb:2 SERVING\n");
    assertThat(run.err()).isEmpty();
    assertThat(kvctl.healthTimeouts).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void health_oneNotServing_exit1WithSummaryLine() {
    kvctl.healthStates.put("b:2", "NOT_SERVING");
    Kvctl.Run run = kvctl.run("--endpoints", "a:1,b:2,c:3", "health");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("a:1 SERVING\nb:2 NOT_SERVING\nc:3 SERVING\n");
    assertThat(run.err()).isEqualTo("kvctl: error: 1 of 3 endpoints not serving\n");
  }

  // --- help and version

  @Test
  void help_exit0_listsCommandsAndExitCodes() {
    Kvctl.Run run = kvctl.run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("put", "get", "del, delete", "health", "Exit codes:", "--endpoints", "--timeout");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void subcommandHelp_exit0_showsGlobalOptions() {
    Kvctl.Run run = kvctl.run("get", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: kvctl get", "--out-file", "--hex", "--endpoints");
  }

  @Test
  void version_exit0_printsKvctlVersion() {
    Kvctl.Run run = kvctl.run("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("kvctl ");
    assertThat(kvctl.run("put", "--version").out()).startsWith("kvctl ");
  }
}
