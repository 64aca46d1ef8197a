package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnCommandTest {
  private static final String ISSUE_TXN =
      """
      value("k1") = "v1"
      version("k2") > 3
      exists("k3") = false

      put k1 v2
      get k2

      get k1
      """;

  private final Kvctl kvctl = new Kvctl();

  private Kvctl.Run txn(String text, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "txn";
    System.arraycopy(args, 0, all, 1, args.length);
    return kvctl.runWithStdin(text.getBytes(UTF_8), all);
  }

  private String value(String key) {
    var kv = kvctl.cluster.data.get(ByteString.copyFromUtf8(key));
    return kv == null ? null : kv.value().toStringUtf8();
  }

  @Test
  void comparesHold_successOpsRun_exit0() {
    kvctl.run("put", "k1", "v1"); // 41
    for (int i = 0; i < 4; i++) {
      kvctl.run("put", "k2", "x" + i); // 42..45, version 4
    }
    Kvctl.Run run = txn(ISSUE_TXN);
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("SUCCESS\nOK revision=46 shard=7\nx3\n");
    assertThat(value("k1")).isEqualTo("v2");
  }

  @Test
  void compareFails_failureOpsRun_stillExit0() {
    kvctl.run("put", "k1", "v1");
    Kvctl.Run run = txn(ISSUE_TXN); // k2 missing: version 0 is not > 3
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("FAILURE\nv1\n");
    assertThat(value("k1")).isEqualTo("v1");
  }

  @Test
  void text_everyOpKind_missingKeysSayNotFound() {
    kvctl.run("put", "d", "x");
    Kvctl.Run run = txn("\nput a 1\nget a\nget nope\ndel d\ndel nope\n");
    assertThat(run.out())
        .isEqualTo("SUCCESS\nOK revision=42 shard=7\n1\nnot found\ndeleted revision=42 shard=7\nnot found\n");
  }

  @Test
  void json_resultsPerOp() {
    kvctl.run("put", "a", "1");
    Kvctl.Run run = txn("exists(a) = true\n\nput a 2\nget a\nget nope\ndel a\n", "-o", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "{\"succeeded\":true,\"revision\":42,\"shard\":7,\"results\":["
                + "{\"op\":\"put\",\"revision\":42,\"shard\":7},"
                + "{\"op\":\"get\",\"found\":true,\"key\":\"YQ==\",\"value\":\"Mg==\","
                + "\"create_revision\":41,\"mod_revision\":42,\"version\":2,\"revision\":42,\"shard\":7},"
                + "{\"op\":\"get\",\"found\":false,\"key\":\"bm9wZQ==\",\"revision\":42,\"shard\":7},"
                + "{\"op\":\"del\",\"deleted\":true,\"revision\":42,\"shard\":7}]}\n");
  }

  @Test
  void json_failureWithoutOps() {
    Kvctl.Run run = txn("exists(a) = true\n\nput a 2\n", "-o", "json");
    assertThat(run.out())
        .isEqualTo("{\"succeeded\":false,\"revision\":40,\"shard\":7,\"results\":[]}\n");
  }

  @Test
  void fromFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("t.txn"), "value(\"k\") != \"x\"\n\nput k y\n");
    Kvctl.Run run = kvctl.run("txn", "--file", file.toString());
    assertThat(run.out()).isEqualTo("SUCCESS\nOK revision=41 shard=7\n");
    assertThat(value("k")).isEqualTo("y");
  }

  @Test
  void missingFile_exit1() {
    Kvctl.Run run = kvctl.run("txn", "--file", "/no/such/file.txn");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvctl: error: cannot read /no/such/file.txn: no such file or directory\n");
  }

  @Test
  void hex_keysAndValues_andHexOutput() {
    Kvctl.Run run = kvctl.runWithStdin("\nput 00ff 0a0b\nget 00ff\n".getBytes(UTF_8), "--hex", "txn");
    assertThat(run.out()).isEqualTo("SUCCESS\nOK revision=41 shard=7\n0a0b\n");
    assertThat(kvctl.cluster.data).containsKey(ByteString.copyFrom(new byte[] {0, (byte) 0xff}));
  }

  @Test
  void parseError_usageExit2_lineNumber_nothingSent() {
    Kvctl.Run run = txn("value(\"k\") = v\nversion(k) >= 2\n\nput k v\n");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: txn line 2: '>=' is not an operator: use =, !=, > or <"
                + " (see 'kvctl txn --help')\n");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void emptyInput_usageError() {
    Kvctl.Run run = txn("");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kvctl: error: the transaction is empty");
  }

  @Test
  void conditionsEvaluated_allTargets() {
    kvctl.run("put", "k", "b"); // create 41, mod 41, version 1
    assertThat(txn("create(k) = 41\nmod(k) < 42\nversion(k) = 1\nvalue(k) > a\nvalue(k) < c\n\nget k\n").out())
        .startsWith("SUCCESS");
    assertThat(txn("value(k) > b\n").out()).startsWith("FAILURE");
    assertThat(txn("value(missing) != x\nexists(missing) = false\nversion(missing) = 0\n").out())
        .startsWith("SUCCESS");
    assertThat(txn("value(missing) = x\n").out()).startsWith("FAILURE");
  }
}
