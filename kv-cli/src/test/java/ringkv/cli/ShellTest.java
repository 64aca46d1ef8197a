package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

class ShellTest {
  private final Kvctl kvctl = new Kvctl();

  private Kvctl.Run shell(String input, String... args) {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "shell";
    return kvctl.runWithStdin(input.getBytes(UTF_8), all);
  }

  // --- piped input: plain lines, no prompt

  @Test
  void piped_putThenGet_issueExample() {
    Kvctl.Run run = shell("put a 1\nget a\n");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n1\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void oneClientForAllLines_openedLazily_closedAtEnd() {
    Kvctl.Run run = shell("help\nput a 1\nget a\ndel a\ncas a 2 --absent\n");
    assertThat(run.exitCode()).isZero();
    assertThat(kvctl.cluster.configs).hasSize(1);
    assertThat(kvctl.cluster.closedClients).isEqualTo(1);

    Kvctl kvctl2 = new Kvctl();
    kvctl2.runWithStdin("help\n".getBytes(UTF_8), "shell");
    assertThat(kvctl2.cluster.configs).isEmpty();
  }

  @Test
  void errorsPrintOneLine_andTheShellGoesOn() {
    Kvctl.Run run = shell("frob\nget missing\nget --output xml a\nput 'unterminated\nput a 1\nget a\n");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n1\n");
    assertThat(run.errLines())
        .containsExactly(
            "kvctl: error: Unmatched argument at index 0: 'frob' (see 'kvctl --help')",
            "kvctl: key not found",
            "kvctl: error: Invalid value for option '--output': 'xml' is not one of raw, json,"
                + " table (see 'kvctl get --help')",
            "kvctl: error: unterminated ' quote at column 5");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void exitCode_isTheLastCommands() {
    assertThat(shell("put a 1\nget missing\n").exitCode()).isEqualTo(3);
    assertThat(shell("cas a 1 --absent\ncas a 2 --absent\n").exitCode()).isEqualTo(4);
    assertThat(shell("get missing\nput a 1\n").exitCode()).isZero();
    assertThat(shell("").exitCode()).isZero();
  }

  @Test
  void exitAndQuit_stopReading() {
    Kvctl.Run run = shell("put a 1\nexit\nput b 2\n");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n");
    assertThat(kvctl.cluster.data).hasSize(1);
    assertThat(shell("get missing\nquit\n").exitCode()).isEqualTo(3);
    Kvctl.Run withArgs = shell("exit now\nput c 3\n");
    assertThat(withArgs.err()).isEqualTo("kvctl: error: exit takes no arguments\n");
    assertThat(withArgs.exitCode()).isZero();
  }

  @Test
  void blankAndCommentLinesSkipped_quotingLikeAShell() {
    Kvctl.Run run = shell("\n   \n# a comment\nput 'a key' \"two words\"\nget 'a key'\nput e ''\nget e\n");
    assertThat(run.out())
        .isEqualTo("OK revision=41 shard=7\ntwo words\nOK revision=42 shard=7\n\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void rawGet_endsWithOneNewline(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("v"), "y\n");
    Kvctl.Run run = shell("put a x\nget a\nput b --file " + file + "\nget b\nget -o json a\n");
    assertThat(run.out())
        .isEqualTo(
            "OK revision=41 shard=7\nx\nOK revision=42 shard=7\ny\n{\"found\":true,\"key\":\"YQ==\","
                + "\"value\":\"eA==\",\"create_revision\":41,\"mod_revision\":41,\"version\":1,"
                + "\"revision\":42,\"shard\":7}\n");
  }

  @Test
  void globalOptionsOfShell_applyToEveryLine_lineOverrides() {
    shell(
        "put 01 02\nget 01\nget --timeout 3s 01\n--endpoints c:3 get 01\nget 01 --endpoints d:4\n",
        "--hex",
        "--endpoints",
        "a:1,b:2",
        "--timeout",
        "2s");
    assertThat(kvctl.cluster.data).containsKey(com.google.protobuf.ByteString.copyFrom(new byte[] {1}));
    assertThat(kvctl.cluster.configs).hasSize(4);
    assertThat(kvctl.cluster.configs.get(0).endpoints()).containsExactly("a:1", "b:2");
    assertThat(kvctl.cluster.configs.get(0).callTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(kvctl.cluster.configs.get(1).endpoints()).containsExactly("a:1", "b:2");
    assertThat(kvctl.cluster.configs.get(1).callTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(kvctl.cluster.configs.get(2).endpoints()).containsExactly("c:3");
    assertThat(kvctl.cluster.configs.get(2).callTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(kvctl.cluster.configs.get(3).endpoints()).containsExactly("d:4");
    assertThat(kvctl.cluster.closedClients).isEqualTo(4);
  }

  @Test
  void globalOptionsAfterShellWord_countToo() {
    Kvctl.Run run = shell("get 01\n", "--endpoints", "a:1");
    kvctl.runWithStdin("get 01\n".getBytes(UTF_8), "shell", "--hex", "--endpoints", "b:2");
    assertThat(run.err()).isEqualTo("kvctl: key not found\n");
    assertThat(kvctl.cluster.configs.get(0).endpoints()).containsExactly("a:1");
    assertThat(kvctl.cluster.configs.get(1).endpoints()).containsExactly("b:2");
  }

  @Test
  void hexOfShell_isOnForEveryLine() {
    Kvctl.Run run = shell("put 00ff 6869\nget 00ff\n", "--hex");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n6869\n");
  }

  @Test
  void envEndpoints_usedWhenShellHasNone() {
    kvctl.env.put("RINGKV_ENDPOINTS", "e:5");
    shell("get k\n");
    assertThat(kvctl.cluster.configs.get(0).endpoints()).containsExactly("e:5");
  }

  @Test
  void badGlobalOptions_failBeforeReading() {
    Kvctl.Run run = shell("put a 1\n", "--endpoints", "bad");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kvctl: error: invalid --endpoints 'bad'");
    assertThat(kvctl.cluster.data).isEmpty();
  }

  @Test
  void stdinValue_refusedInTheShell_fileWorks(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("v"), "from file");
    Kvctl.Run run = shell("put a -\nput a --file " + file + "\nget a\n");
    assertThat(run.errLines())
        .containsExactly(
            "kvctl: error: VALUE '-' reads standard input, which the shell reads its commands"
                + " from; use --file PATH (see 'kvctl put --help')");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\nfrom file\n");
  }

  @Test
  void nestedShell_refused() {
    Kvctl.Run run = shell("shell\nput a 1\n");
    assertThat(run.errLines())
        .containsExactly("kvctl: error: already in the shell (see 'kvctl shell --help')");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n");
  }

  @Test
  void txn_readsItsSectionsFromTheFollowingLines() {
    Kvctl.Run run =
        shell(
            "put k1 v1\n"
                + "txn\n"
                + "value(\"k1\") = \"v1\"\n"
                + "\n"
                + "put k1 v2\n"
                + "\n"
                + "get k1\n"
                + "\n"
                + "get k1\n"
                + "txn -o json\n"
                + "value(k1) = v1\n"
                + "\n"
                + "\n"
                + "get k1\n"
                + "\n"
                + "del k1\n");
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "OK revision=41 shard=7\n"
                + "SUCCESS\nOK revision=42 shard=7\n"
                + "v2\n"
                + "{\"succeeded\":false,\"revision\":42,\"shard\":7,\"results\":[{\"op\":\"get\","
                + "\"found\":true,\"key\":\"azE=\",\"value\":\"djI=\",\"create_revision\":41,"
                + "\"mod_revision\":42,\"version\":2,\"revision\":42,\"shard\":7}]}\n"
                + "deleted revision=43 shard=7\n");
  }

  @Test
  void txn_parseErrorInShell_reportedAndShellGoesOn() {
    Kvctl.Run run = shell("txn\nfrob(k) = 1\n\n\n\nput a 1\n");
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("kvctl: error: txn line 1: unknown compare target 'frob'");
    assertThat(run.out()).isEqualTo("OK revision=41 shard=7\n");
  }

  @Test
  void help_insideShell_listsCommands() {
    Kvctl.Run run = shell("help\nhelp cas\nget --help\n");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Commands:", "txn", "shell", "Usage: kvctl cas", "Usage: kvctl get");
  }

  @Test
  void publicRun_pipedShell() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        KvctlMain.run(
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            new ByteArrayInputStream("--endpoints bad get a\n\nexit\n".getBytes(UTF_8)),
            "shell");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(UTF_8)).isEmpty();
    assertThat(err.toString(UTF_8)).startsWith("kvctl: error: invalid --endpoints 'bad'");
  }

  // --- terminal: JLine

  private static CommandSpec commands() {
    return new KvctlMain(new Kvctl().context(new byte[0])).commandLine().getCommandSpec();
  }

  private static List<String> complete(String line) throws IOException {
    Terminal terminal =
        TerminalBuilder.builder()
            .system(false)
            .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())
            .type(Terminal.TYPE_DUMB)
            .build();
    LineReader reader = new LineReaderImpl(terminal);
    List<Candidate> candidates = new ArrayList<>();
    ShellTerminal.completer(commands())
        .complete(
            reader,
            new DefaultParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE),
            candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void completion_commandNames_exitAndQuit() throws IOException {
    assertThat(complete("")).contains("put", "get", "del", "cas", "txn", "health", "cluster", "help", "exit", "quit");
    assertThat(complete("cluster ")).contains("status", "map");
    assertThat(complete("t")).contains("top", "txn");
    assertThat(complete("top --")).contains("--interval", "--iterations", "--output");
    assertThat(complete("top -o ")).containsExactlyInAnyOrder("table", "json");
  }

  @Test
  void completion_scanAndBatchCommands() throws IOException {
    assertThat(complete("")).contains("scan", "prefix", "del-range", "del-prefix", "batch");
    assertThat(complete("del-")).contains("del-range", "del-prefix");
    assertThat(complete("batch ")).contains("put", "del");
    assertThat(complete("scan --")).contains("--prefix", "--limit", "--all", "--keys-only", "--reverse", "--page-size");
    assertThat(complete("prefix --k")).contains("--keys-only");
    assertThat(complete("scan -o ")).containsExactlyInAnyOrder("raw", "json", "table");
    assertThat(complete("batch put -o ")).containsExactlyInAnyOrder("table", "json");
    assertThat(complete("del-prefix --a")).contains("--all-keys");
  }

  @Test
  void scanAndBatch_inTheShell_stdinFileRefused(@TempDir Path dir) throws IOException {
    Path items = Files.writeString(dir.resolve("items"), "b=2\n");
    Kvctl.Run run =
        shell(
            "batch put a=1\nbatch put --file -\nbatch put --file " + items + "\nprefix ''\n"
                + "del-prefix ''\ndel-prefix --all-keys\nscan\n");
    assertThat(run.out())
        .isEqualTo(
            "KEY  STATUS  REVISION  SHARD\na    OK      41        7\n"
                + "KEY  STATUS  REVISION  SHARD\nb    OK      42        7\n"
                + "a\t1\nb\t2\n"
                + "deleted 2 keys\n");
    assertThat(run.errLines())
        .containsExactly(
            "kvctl: error: --file - reads standard input, which the shell reads its commands from;"
                + " use --file PATH (see 'kvctl batch put --help')",
            "kvctl: error: an empty PREFIX deletes every key: add --all-keys if that is what you"
                + " mean (see 'kvctl del-prefix --help')");
    assertThat(kvctl.cluster.configs).hasSize(1);
  }

  @Test
  void completion_optionsOfACommand() throws IOException {
    assertThat(complete("get --c")).contains("--consistency");
    assertThat(complete("cas k v --exp")).contains("--expect", "--expect-version");
    assertThat(complete("get --consistency ")).containsExactly("linearizable", "serializable");
    assertThat(complete("get -o ")).containsExactlyInAnyOrder("raw", "json", "table");
    assertThat(complete("put -o ")).containsExactlyInAnyOrder("text", "json");
  }

  @Test
  void terminal_promptHistoryAndCommands(@TempDir Path dir) throws IOException {
    var typed = new ByteArrayInputStream("put a 1\nget a\nexit\n".getBytes(UTF_8));
    var screen = new ByteArrayOutputStream();
    Terminal terminal =
        TerminalBuilder.builder().system(false).streams(typed, screen).type(Terminal.TYPE_DUMB).build();
    Path history = dir.resolve(".kvctl_history");
    var out = new ByteArrayOutputStream();
    CliContext context = kvctl.context(new byte[0], new PrintStream(out, true, UTF_8));
    int code;
    try (Shell shell = new Shell(context, java.util.Map.of(), "kv@h:1$ ");
        ShellTerminal lines = new ShellTerminal(terminal, commands(), history)) {
      code = shell.run(lines);
    }
    assertThat(code).isZero();
    assertThat(out.toString(UTF_8)).isEqualTo("OK revision=41 shard=7\n1\n");
    assertThat(screen.toString(UTF_8)).contains("kv@h:1$ ");
    assertThat(Files.readString(history)).contains("put a 1", "get a");
  }
}
