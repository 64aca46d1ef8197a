package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.client.Txn;
import ringkv.client.TxnResult;

/** {@code kvctl txn}: an atomic compare-then-write transaction, read as text. */
@Command(
    name = "txn",
    sortOptions = false,
    description = {
      "Runs a transaction: if every compare holds, the success ops, otherwise the failure ops,"
          + " atomically.",
      "",
      "Reads the transaction from standard input (or --file): compares, success ops and failure"
          + " ops, one per line, the three sections separated by blank lines:",
      "",
      "  value(\"k1\") = \"v1\"",
      "  version(\"k2\") > 3",
      "  exists(\"k3\") = false",
      "",
      "  put k1 v2",
      "  get k2",
      "",
      "  get k1",
      "",
      "Compares: value|version|create|mod(\"KEY\") =|!=|>|< OPERAND, exists(\"KEY\") =|!="
          + " true|false. Ops: put KEY VALUE, get KEY, del KEY. Keys and values are words or"
          + " \"quoted\" with \\\" \\\\ \\n \\r \\t escapes; hex under --hex. Every key must live"
          + " in one shard (give related keys one hash tag: {user42}:a, {user42}:b).",
      "",
      "Prints SUCCESS or FAILURE, then one line per op of the branch that ran (put: 'OK"
          + " revision=R shard=S'; get: the value or 'not found'; del: 'deleted revision=R"
          + " shard=S' or 'not found'). Exits 0 either way: a compare that fails is an outcome,"
          + " not an error. In kvctl shell, without --file the transaction is read from the lines"
          + " that follow, up to the blank line that ends the failure ops."
    })
public final class TxnCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Read the transaction from this file instead of standard input.")
  private @Nullable Path file;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    Txn txn = TxnParser.parse(text(), root.global().hex());
    TxnResult result;
    try (ClientLease client = root.client()) {
      result = client.kv().txn(txn);
    }
    root.printer().printTxn(result.succeeded() ? txn.then() : txn.otherwise(), result, output.format());
    return ExitCodes.OK;
  }

  private String text() {
    if (file != null) {
      return LocalFiles.read(file).toStringUtf8();
    }
    Shell shell = root.shell();
    if (shell != null) {
      return shell.readTxn();
    }
    InputStream in = root.context().in();
    try {
      return ByteString.readFrom(in).toString(UTF_8);
    } catch (IOException e) {
      throw new CommandFailedException("cannot read standard input: " + LocalFiles.describe(e), e);
    }
  }
}
