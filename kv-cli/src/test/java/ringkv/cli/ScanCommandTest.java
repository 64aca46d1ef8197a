package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ringkv.api.v1.ErrorReason;
import ringkv.client.Scan;

class ScanCommandTest {
  private final Kvctl kvctl = new Kvctl();

  private void put(String... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      kvctl.cluster.seed(keysAndValues[i], keysAndValues[i + 1]);
    }
  }

  /** Keys k00..k(n-1), value = the number. */
  private void putNumbered(int n) {
    IntStream.range(0, n).forEach(i -> put(String.format("k%02d", i), Integer.toString(i)));
  }

  private static String numberedLines(int from, int to) {
    StringBuilder lines = new StringBuilder();
    for (int i = from; i < to; i++) {
      lines.append(String.format("k%02d\t%d\n", i, i));
    }
    return lines.toString();
  }

  // --- ranges

  @Test
  void noArguments_everyKeyInKeyOrder_rawKeyTabValue() {
    put("b", "2", "a", "1", "c", "3");
    Kvctl.Run run = kvctl.run("scan");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("a\t1\nb\t2\nc\t3\n");
    assertThat(run.err()).isEmpty();
    assertThat(kvctl.cluster.configs).hasSize(1);
    assertThat(kvctl.cluster.closedClients).isEqualTo(1);
  }

  @Test
  void startAndEnd_halfOpen_endExcluded() {
    put("a", "1", "b", "2", "c", "3", "d", "4");
    assertThat(kvctl.run("scan", "b", "d").out()).isEqualTo("b\t2\nc\t3\n");
    assertThat(kvctl.run("scan", "b").out()).isEqualTo("b\t2\nc\t3\nd\t4\n");
    assertThat(kvctl.run("scan", "bb", "c").out()).isEmpty();
    assertThat(kvctl.run("scan", "", "b").out()).isEqualTo("a\t1\n");
    Scan sent = kvctl.cluster.scans.get(0);
    assertThat(sent.start().toStringUtf8()).isEqualTo("b");
    assertThat(sent.end().toStringUtf8()).isEqualTo("d");
    assertThat(sent.prefix()).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void keysSortedAsUnsignedBytes() {
    for (String key : new String[] {"ff", "80", "00", "7f"}) {
      kvctl.run("--hex", "put", key, key);
    }
    assertThat(kvctl.run("--hex", "scan").out()).isEqualTo("00\t00\n7f\t7f\n80\t80\nff\tff\n");
    assertThat(kvctl.run("--hex", "scan", "7f", "ff").out()).isEqualTo("7f\t7f\n80\t80\n");
  }

  @Test
  void endBeforeStart_serverRefuses_oneLineExit1() {
    put("a", "1");
    Kvctl.Run run = kvctl.run("scan", "d", "b");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.outBytes()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: end must not sort before start (the range is [start, end), bytewise)"
                + " [code INVALID_ARGUMENT, reason INVALID_FIELD]\n");
  }

  @Test
  void emptyRange_printsNothing_exit0_inEveryFormat() {
    for (String format : new String[] {"raw", "json", "table"}) {
      Kvctl.Run run = kvctl.run("scan", "-o", format);
      assertThat(run.exitCode()).isZero();
      assertThat(run.outBytes()).isEmpty();
      assertThat(run.err()).isEmpty();
    }
  }

  // --- prefix

  @Test
  void prefix_onlyKeysWithIt_commandAndOption() {
    put("u", "0", "user/1", "a", "user/2", "b", "users", "c", "v", "d");
    Kvctl.Run run = kvctl.run("prefix", "user/");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("user/1\ta\nuser/2\tb\n");
    assertThat(kvctl.run("scan", "--prefix", "user/").out()).isEqualTo(run.out());
    assertThat(kvctl.run("prefix", "user").out()).isEqualTo("user/1\ta\nuser/2\tb\nusers\tc\n");
    assertThat(kvctl.run("prefix", "").out()).hasLineCount(5);
    assertThat(kvctl.cluster.scans.get(0).prefix().toStringUtf8()).isEqualTo("user/");
  }

  @Test
  void prefix_hex_allFfPrefixRunsToTheEnd() {
    kvctl.run("--hex", "put", "fe", "01");
    kvctl.run("--hex", "put", "ff", "02");
    kvctl.run("--hex", "put", "ff00", "03");
    kvctl.run("--hex", "put", "ffff", "04");
    assertThat(kvctl.run("--hex", "prefix", "ff").out()).isEqualTo("ff\t02\nff00\t03\nffff\t04\n");
  }

  @Test
  void prefixWithStartOrEnd_usageError_nothingSent() {
    Kvctl.Run run = kvctl.run("scan", "a", "--prefix", "p");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "kvctl: error: give either START [END] or --prefix, not both"
                + " (see 'kvctl scan --help')\n");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  // --- reverse, keys only

  @Test
  void reverse_largestFirst_rangeAndPrefix() {
    put("a", "1", "b", "2", "c", "3", "d", "4");
    assertThat(kvctl.run("scan", "--reverse").out()).isEqualTo("d\t4\nc\t3\nb\t2\na\t1\n");
    assertThat(kvctl.run("scan", "a", "c", "--reverse").out()).isEqualTo("b\t2\na\t1\n");
    assertThat(kvctl.run("prefix", "c", "--reverse").out()).isEqualTo("c\t3\n");
  }

  @Test
  void reverse_acrossPages() {
    putNumbered(7);
    Kvctl.Run run = kvctl.run("scan", "--reverse", "--page-size", "3", "--all");
    assertThat(run.out()).isEqualTo("k06\t6\nk05\t5\nk04\t4\nk03\t3\nk02\t2\nk01\t1\nk00\t0\n");
    assertThat(kvctl.cluster.scans).hasSize(3).allMatch(Scan::reverse);
  }

  @Test
  void keysOnly_everyFormat_noValues() {
    put("a", "1", "b", "2");
    assertThat(kvctl.run("scan", "--keys-only").out()).isEqualTo("a\nb\n");
    assertThat(kvctl.run("scan", "--keys-only", "-o", "json").out())
        .isEqualTo(
            "{\"key\":\"YQ==\",\"create_revision\":41,\"mod_revision\":41,\"version\":1}\n"
                + "{\"key\":\"Yg==\",\"create_revision\":42,\"mod_revision\":42,\"version\":1}\n");
    assertThat(kvctl.run("prefix", "a", "--keys-only", "-o", "table").out())
        .isEqualTo("KEY  CREATE_REVISION  MOD_REVISION  VERSION\na    41               41            1\n");
    assertThat(kvctl.cluster.scans).allMatch(Scan::keysOnly);
  }

  // --- paging and the limit

  @Test
  void all_pagesThroughTheContinuation() {
    putNumbered(25);
    Kvctl.Run run = kvctl.run("scan", "--all", "--page-size", "10");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(numberedLines(0, 25));
    assertThat(run.err()).isEmpty();
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(10, 10, 10);
    assertThat(kvctl.cluster.scans.get(0).continuation()).isEmpty();
    assertThat(kvctl.cluster.scans.get(1).continuation().toStringUtf8()).isEqualTo("after:k09");
    assertThat(kvctl.cluster.scans.get(2).continuation().toStringUtf8()).isEqualTo("after:k19");
    assertThat(kvctl.cluster.configs).hasSize(1);
  }

  @Test
  void limit_cutsAcrossPages_noteOnStderr_exit0() {
    putNumbered(25);
    Kvctl.Run run = kvctl.run("scan", "--limit", "15", "--page-size", "10");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(numberedLines(0, 15));
    assertThat(run.err())
        .isEqualTo("kvctl: stopped after 15 keys; more follow (raise --limit, or --all for every key)\n");
    // the last page asks for one key more than it prints, to know whether more follow
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(10, 6);
  }

  @Test
  void limit_exactlyTheKeysThere_noNote() {
    putNumbered(10);
    Kvctl.Run run = kvctl.run("scan", "--limit", "10");
    assertThat(run.out()).isEqualTo(numberedLines(0, 10));
    assertThat(run.err()).isEmpty();
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(11);

    kvctl.cluster.scans.clear();
    Kvctl.Run paged = kvctl.run("scan", "--limit", "10", "--page-size", "5");
    assertThat(paged.out()).isEqualTo(numberedLines(0, 10));
    assertThat(paged.err()).isEmpty();
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(5, 5);
  }

  @Test
  void limit_reachedAtAPageEnd_oneKeyMoreAskedToKnow() {
    putNumbered(11);
    Kvctl.Run run = kvctl.run("scan", "--limit", "10", "--page-size", "10");
    assertThat(run.out()).isEqualTo(numberedLines(0, 10));
    assertThat(run.err()).startsWith("kvctl: stopped after 10 keys; more follow");
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(10, 1);
  }

  @Test
  void limit_one_singularNote() {
    putNumbered(2);
    Kvctl.Run run = kvctl.run("scan", "--limit", "1");
    assertThat(run.out()).isEqualTo("k00\t0\n");
    assertThat(run.err()).isEqualTo("kvctl: stopped after 1 key; more follow (raise --limit, or --all for every key)\n");
  }

  @Test
  void defaultLimit_1000() {
    putNumbered(1001);
    Kvctl.Run run = kvctl.run("scan", "--keys-only");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).hasLineCount(1000);
    assertThat(run.err()).startsWith("kvctl: stopped after 1000 keys; more follow");
    assertThat(kvctl.cluster.scans).extracting(Scan::limit).containsExactly(1000, 1);
    assertThat(kvctl.run("scan", "--keys-only", "--all").out()).hasLineCount(1001);
  }

  @Test
  void failureMidScan_exit1_oneErrorLine() {
    kvctl.cluster.failure =
        FakeCluster.failure(Status.Code.UNAVAILABLE, ErrorReason.NO_LEADER, "no leader", false);
    Kvctl.Run run = kvctl.run("prefix", "a");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvctl: error: no leader [code UNAVAILABLE, reason NO_LEADER]\n");
    assertThat(kvctl.cluster.closedClients).isEqualTo(1);
  }

  // --- formats

  @Test
  void json_oneObjectPerKeyPerLine_base64() {
    put("a", "1", "b", "2", "a", "x");
    Kvctl.Run run = kvctl.run("scan", "-o", "json");
    assertThat(run.out())
        .isEqualTo(
            "{\"key\":\"YQ==\",\"value\":\"eA==\",\"create_revision\":41,\"mod_revision\":43,\"version\":2}\n"
                + "{\"key\":\"Yg==\",\"value\":\"Mg==\",\"create_revision\":42,\"mod_revision\":42,\"version\":1}\n");
    assertThat(kvctl.run("--hex", "scan", "-o", "json").out()).isEqualTo(run.out());
  }

  @Test
  void table_alignedColumns_likeGet() {
    put("greeting", "hello, world", "b", "2");
    Kvctl.Run run = kvctl.run("scan", "-o", "TABLE");
    assertThat(run.out())
        .isEqualTo(
            "KEY       VALUE         CREATE_REVISION  MOD_REVISION  VERSION\n"
                + "b         2             42               42            1\n"
                + "greeting  hello, world  41               41            1\n");
  }

  @Test
  void binaryValues_rawUnderHex_tableAs0x() {
    kvctl.runWithStdin(new byte[] {0, 1, '\n'}, "put", "bin", "-");
    assertThat(kvctl.run("--hex", "scan").out()).isEqualTo("62696e\t00010a\n");
    assertThat(kvctl.run("scan", "-o", "table").out()).contains("bin  0x00010a");
  }

  // --- usage

  @ParameterizedTest
  @ValueSource(
      strings = {
        "scan --limit 0",
        "scan --limit -3",
        "scan --limit x",
        "scan --limit 5 --all",
        "scan --page-size 0",
        "scan --page-size 10001",
        "scan -o xml",
        "scan a b c",
        "--hex scan zz",
        "--hex scan --prefix 0"
      })
  void scanUsageErrors_exit2_nothingSent(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: ").endsWith("(see 'kvctl scan --help')");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"prefix", "prefix a b", "prefix a --limit 0", "prefix a --all --limit 2"})
  void prefixUsageErrors_exit2(String commandLine) {
    Kvctl.Run run = kvctl.run(commandLine.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).endsWith("(see 'kvctl prefix --help')");
    assertThat(kvctl.cluster.configs).isEmpty();
  }

  @Test
  void usageMessages() {
    assertThat(kvctl.run("scan", "--limit", "0").err())
        .startsWith("kvctl: error: --limit must be 1 or more, got 0");
    assertThat(kvctl.run("scan", "--all", "--limit", "3").err())
        .startsWith("kvctl: error: give either --limit or --all, not both");
    assertThat(kvctl.run("scan", "--page-size", "20000").err())
        .startsWith("kvctl: error: --page-size must be between 1 and 10000, got 20000");
    assertThat(kvctl.run("--hex", "scan", "00", "zz").err())
        .startsWith("kvctl: error: END is not valid hex: 'z' at position 0");
  }

  @Test
  void help_describesOptions() {
    assertThat(kvctl.run("scan", "--help").out())
        .contains("START", "END", "--prefix", "--limit", "--all", "--keys-only", "--reverse", "--page-size");
    assertThat(kvctl.run("prefix", "--help").out()).contains("PREFIX", "--limit", "--keys-only");
  }
}
