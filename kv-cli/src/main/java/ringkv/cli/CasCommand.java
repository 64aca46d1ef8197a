package ringkv.cli;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import ringkv.client.CasResult;
import ringkv.client.KvClient;

/**
 * {@code kvctl cas KEY NEW_VALUE (--expect VALUE | --expect-version N | --absent)}: writes a key
 * only if it is in the expected state; with {@code --delete}, deletes it only if it holds the
 * expected value.
 */
@Command(
    name = "cas",
    sortOptions = false,
    customSynopsis = {
      "kvctl cas [OPTIONS] KEY (NEW_VALUE | - | --file PATH)",
      "                 (--expect VALUE | --expect-version N | --absent)",
      "   or: kvctl cas [OPTIONS] KEY --delete --expect VALUE"
    },
    description = {
      "Compare-and-set: writes a key only if it is in the expected state.",
      "",
      "Sets KEY to NEW_VALUE if its value is VALUE (--expect), its version is N (--expect-version;"
          + " 0 means absent) or it does not exist (--absent); with --delete, deletes KEY if its"
          + " value is VALUE. The comparison and the write are one atomic step. Prints"
          + " 'OK revision=R shard=S' when the write happened. Otherwise nothing is written:"
          + " kvctl prints 'kvctl: compare failed: current value V (version N)' (or 'key does not"
          + " exist') on standard error and exits with 4; json output also prints"
          + " {\"succeeded\":false,...} with the current key on standard output."
    })
public final class CasCommand implements Callable<Integer> {
  static final String FAILED_PREFIX = "kvctl: compare failed: ";

  @ParentCommand private KvctlMain root;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex under --hex).")
  private String key;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "NEW_VALUE",
      description = "The value to write (UTF-8, or hex under --hex); '-' reads standard input.")
  private @Nullable String value;

  @Option(
      names = "--expect",
      paramLabel = "VALUE",
      description = "Write only if the key's current value is VALUE (UTF-8, or hex under --hex).")
  private @Nullable String expect;

  @Option(
      names = "--expect-version",
      paramLabel = "N",
      description =
          "Write only if the key's version (writes since it was created) is N; 0 = absent.")
  private @Nullable Long expectVersion;

  @Option(names = "--absent", description = "Write only if the key does not exist.")
  private boolean absent;

  @Option(
      names = "--delete",
      description = "Delete the key instead of writing it (compare-and-delete; needs --expect).")
  private boolean delete;

  @Option(names = "--file", paramLabel = "PATH", description = "Read NEW_VALUE from this file.")
  private @Nullable Path file;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    boolean hex = root.global().hex();
    int expectations = (expect != null ? 1 : 0) + (expectVersion != null ? 1 : 0) + (absent ? 1 : 0);
    if (expectations != 1) {
      throw new UsageException(
          (expectations == 0 ? "missing condition" : "conflicting conditions")
              + ": give exactly one of --expect VALUE, --expect-version N or --absent");
    }
    if (expectVersion != null && expectVersion < 0) {
      throw new UsageException("--expect-version must be 0 or more, got " + expectVersion);
    }
    ByteString k = ValueSource.key(key, hex);
    @Nullable ByteString expected = expect == null ? null : ValueSource.argument(expect, hex, "--expect");
    CasResult result;
    if (delete) {
      if (expected == null) {
        throw new UsageException("--delete compares the value: give --expect VALUE");
      }
      if (value != null || file != null) {
        throw new UsageException("--delete takes no NEW_VALUE or --file");
      }
      try (ClientLease client = root.client()) {
        result = client.kv().compareAndDelete(k, expected);
      }
    } else {
      ByteString v = ValueSource.value(value, file, hex, root.stdin());
      try (ClientLease client = root.client()) {
        KvClient kv = client.kv();
        if (expected != null) {
          result = kv.compareAndSet(k, expected, v);
        } else if (expectVersion != null) {
          result = kv.compareAndSet(k, expectVersion.longValue(), v);
        } else {
          result = kv.putIfAbsent(k, v);
        }
      }
    }
    ResultPrinter printer = root.printer();
    printer.printCas(result, output.format());
    if (!result.succeeded()) {
      root.context().err().println(FAILED_PREFIX + printer.compareFailure(result.current()));
      return ExitCodes.COMPARE_FAILED;
    }
    return ExitCodes.OK;
  }
}
