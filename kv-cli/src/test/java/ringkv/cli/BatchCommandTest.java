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

class BatchCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private String value(String key) {
    var kv = kvctl.cluster.data.get(ByteString.copyFromUtf8(key));
    return kv == null ? null : kv.value().toStringUtf8();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  // --- batch put

  @Test
  void put_arguments_tableOfItems_exit0() {
    Kvctl.Run run = kvctl.run("batch", "put", "a=1", "b=2", "c=3");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "KEY  STATUS  REVISION  SHARD\n"
                + "a    OK      41        7\n"
                + "b    OK      41        7\n"
                + "c    OK      41        7\n");
    assertThat(value("a")).isEqualTo("1");
    assertThat(value("c")).isEqualTo("3");
    assertThat(kvctl.cluster.batches).containsExactly(java.util.List.of(bytes("a"), bytes("b"), bytes("c")));
  }

  @Test
  void put_keyEndsAtTheFirstEquals_valueMayBeEmptyOrHoldEquals() {
    assertThat(kvctl.run("batch", "put", "k=a=b", "e=", "sp=a b ").exitCode()).isZero();
    assertThat(value("k")).isEqualTo("a=b");
    assertThat(value("e")).isEmpty();
    assertThat(value("sp")).isEqualTo("a b ");
  }

  @Test
  void put_json() {
    Kvctl.Run run = kvctl.run("batch", "put", "a=1", "b=2", "-o", "json");
    assertThat(run.out())
        .isEqualTo(
            "{\"ok\":true,\"items\":["
                + "{\"key\":\"YQ==\",\"ok\":true,\"revision\":41,\"shard\":7,\"error\":null},"
                + "{\"key\":\"Yg==\",\"ok\":true,\"revision\":41,\"shard\":7,\"error\":null}]}\n");
  }

  @Test
  void put_hex_keysAndValues() {
    Kvctl.Run run = kvctl.run("--hex", "batch", "put", "00ff=0102", "01=");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("00ff  OK");
    assertThat(kvctl.cluster.data.get(ByteString.copyFrom(new byte[] {0, (byte) 0xff})).value())
        .isEqualTo(ByteString.copyFrom(new byte[] {1, 2}));
  }

  @Test
  void put_file_oneItemPerLine_crlfAndBlankLinesOk(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("items.txt"), "a=1\r\n\nb= two words\n  \nc=x=y");
    Kvctl.Run run = kvctl.run("batch", "put", "--file", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(value("a")).isEqualTo("1");
    assertThat(value("b")).isEqualTo(" two words");
    assertThat(value("c")).isEqualTo("x=y");
    assertThat(kvctl.cluster.batches.get(0)).containsExactly(bytes("a"), bytes("b"), bytes("c"));
  }

  @Test
  void put_stdin() {
    Kvctl.Run run = kvctl.runWithStdin("a=1\nb=2\n".getBytes(UTF_8), "batch", "put", "--file", "-");
    assertThat(run.exitCode()).isZero();
    assertThat(value("b")).isEqualTo("2");
  }

  @Test
  void put_badLine_usageErrorNamingTheLine_nothingSent(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("items.txt"), "a=1\n\nnoequals\nb=2\n");
    Kvctl.Run run = kvctl.run("batch", "put", "--file", file.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: " + file + " line 3: no '=': give KEY=VALUE (see 'kvctl batch put --help')\n");
    assertThat(kvctl.cluster.configs).isEmpty();
    assertThat(kvctl.cluster.data).isEmpty();
  }

  @Test
  void put_badItems_messages(@TempDir Path dir) throws IOException {
    assertThat(kvctl.runWithStdin("a=1\n=2\n".getBytes(UTF_8), "batch", "put", "--file", "-").err())
        .startsWith("kvctl: error: standard input line 2: empty KEY (see");
    assertThat(kvctl.run("batch", "put", "a=1", "b").err())
        .startsWith("kvctl: error: argument 2: no '=': give KEY=VALUE");
    assertThat(kvctl.run("batch", "put", "a=1", "b=2", "a=3").err())
        .startsWith("kvctl: error: argument 3: the key of argument 1 again; give each key once");
    assertThat(kvctl.run("--hex", "batch", "put", "00=01", "0g=01").err())
        .startsWith("kvctl: error: argument 2: KEY is not valid hex: 'g' at position 1");
    assertThat(kvctl.run("--hex", "batch", "put", "00=0").err())
        .startsWith("kvctl: error: argument 1: VALUE is not valid hex: odd number of hex digits (1)");
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
    assertThat(kvctl.run("batch", "put", "--file", empty.toString()).err())
        .startsWith("kvctl: error: " + empty + " holds no items");
    assertThat(kvctl.run("batch", "put").err())
        .startsWith("kvctl: error: missing items: give them as arguments, or --file PATH ('-' for standard input)");
    assertThat(kvctl.run("batch", "put", "a=1", "--file", empty.toString()).err())
        .startsWith("kvctl: error: give either items or --file, not both");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void put_missingFile_exit1() {
    Kvctl.Run run = kvctl.run("batch", "put", "--file", "/no/such/items.txt");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvctl: error: cannot read /no/such/items.txt: no such file or directory\n");
  }

  // --- batch del

  @Test
  void del_deletedOrNotFound_bothOk() {
    kvctl.cluster.seed("a", "1");
    kvctl.cluster.seed("c", "3");
    Kvctl.Run run = kvctl.run("batch", "del", "a", "b", "c");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "KEY  STATUS     REVISION  SHARD\n"
                + "a    DELETED    43        7\n"
                + "b    NOT_FOUND  43        7\n"
                + "c    DELETED    43        7\n");
    assertThat(kvctl.cluster.data).isEmpty();
  }

  @Test
  void del_json_fileAndAlias(@TempDir Path dir) throws IOException {
    kvctl.cluster.seed("a", "1");
    Path file = Files.writeString(dir.resolve("keys"), "a\nb\n");
    Kvctl.Run run = kvctl.run("batch", "delete", "--file", file.toString(), "-o", "json");
    assertThat(run.out())
        .isEqualTo(
            "{\"ok\":true,\"items\":["
                + "{\"key\":\"YQ==\",\"ok\":true,\"deleted\":true,\"revision\":42,\"shard\":7,\"error\":null},"
                + "{\"key\":\"Yg==\",\"ok\":true,\"deleted\":false,\"revision\":42,\"shard\":7,\"error\":null}]}\n");
  }

  @Test
  void del_duplicateKeyLine_usageError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("keys"), "a\nb\na\n");
    Kvctl.Run run = kvctl.run("batch", "del", "--file", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("kvctl: error: " + file + " line 3: the key of " + file + " line 1 again; give each key once");
  }

  // --- partial failure: atomic per shard only

  @Test
  void oneShardFails_exit1_itsItemsFailed_othersApplied_oneLineOnStderr() {
    kvctl.cluster.shards = key -> key.toStringUtf8().startsWith("x") ? 8 : FakeCluster.SHARD;
    kvctl.cluster.failingShards.add(8);
    Kvctl.Run run = kvctl.run("batch", "put", "a=1", "x1=2", "b=3", "x2=4");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out())
        .isEqualTo(
            "KEY  STATUS  REVISION  SHARD  ERROR\n"
                + "a    OK      41        7      -\n"
                + "x1   FAILED  -         8      no leader for shard 8\n"
                + "b    OK      41        7      -\n"
                + "x2   FAILED  -         8      no leader for shard 8\n");
    assertThat(run.err()).isEqualTo("kvctl: error: 2 of 4 items failed (shard 8)\n");
    assertThat(value("a")).isEqualTo("1");
    assertThat(value("x1")).isNull();
  }

  @Test
  void failedItems_json_andSeveralShards() {
    kvctl.cluster.shards = key -> key.byteAt(0) - 'a';
    kvctl.cluster.failingShards.add(1);
    kvctl.cluster.failingShards.add(2);
    Kvctl.Run run = kvctl.run("batch", "del", "a", "b", "c", "-o", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\"ok\":false,\"items\":["
                + "{\"key\":\"YQ==\",\"ok\":true,\"deleted\":false,\"revision\":41,\"shard\":0,\"error\":null},"
                + "{\"key\":\"Yg==\",\"ok\":false,\"deleted\":false,\"revision\":null,\"shard\":1,\"error\":\"no leader for shard 1\"},"
                + "{\"key\":\"Yw==\",\"ok\":false,\"deleted\":false,\"revision\":null,\"shard\":2,\"error\":\"no leader for shard 2\"}]}\n");
    assertThat(run.err()).isEqualTo("kvctl: error: 2 of 3 items failed (shards 1, 2)\n");
  }

  @Test
  void requestFails_exit1() {
    kvctl.cluster.failure =
        FakeCluster.failure(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, "a batch holds 1 to 1000 items, got 1001", false);
    Kvctl.Run run = kvctl.run("batch", "put", "a=1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: a batch holds 1 to 1000 items, got 1001 [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
  }

  // --- usage

  @ParameterizedTest
  @ValueSource(strings = {"batch", "batch frob", "batch put a=1 -o raw", "batch del -o text a"})
  void usageErrors_exit2(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: ").contains("(see 'kvctl batch");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void batchAlone_namesItsCommands() {
    assertThat(kvctl.run("batch").err())
        .isEqualTo("kvctl: error: missing command: put or del (see 'kvctl batch --help')\n");
  }
}
