package ringkv.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import ringkv.client.KeyValue;
import ringkv.client.Scan;
import ringkv.client.ScanPage;

/**
 * The options {@code kvctl scan} and {@code kvctl prefix} share, and the paging loop they both
 * run: pages are fetched one after another through their continuation until the range ends or
 * {@code --limit} keys are printed.
 *
 * <p>To know whether more keys follow the last one printed, the last page asks for one key more
 * than it prints; so a cut output is reported only when a key really was left out.
 */
final class ScanOptions {
  /** Keys printed when neither {@code --limit} nor {@code --all} is given. */
  static final int DEFAULT_LIMIT = 1_000;

  /** The server's largest page. */
  static final int MAX_PAGE_SIZE = 10_000;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Print at most N keys (default " + DEFAULT_LIMIT + "); if more follow, a note on"
              + " standard error says so.")
  private @Nullable Integer limit;

  @Option(names = "--all", description = "Print every key in the range, however many (no limit).")
  private boolean all;

  @Option(
      names = "--keys-only",
      description = "Print keys (and their revisions and version) without values.")
  private boolean keysOnly;

  @Option(names = "--reverse", description = "Largest key first.")
  private boolean reverse;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Keys per request, 1 to " + MAX_PAGE_SIZE + "; pages are fetched one after another."
              + " Default: ${DEFAULT-VALUE}.")
  private int pageSize;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "raw",
      converter = OutputFormat.Converter.class,
      description =
          "raw (KEY<TAB>VALUE lines), json (one object per key per line) or table. Default:"
              + " ${DEFAULT-VALUE}.")
  private OutputFormat output;

  /**
   * Scans {@code range} page by page and prints the keys.
   *
   * @return {@link ExitCodes#OK}, also when {@code --limit} cut the output
   * @throws UsageException when the options contradict each other or are out of range
   */
  int run(KvctlMain root, Scan range) {
    check();
    Scan scan = keysOnly ? range.withKeysOnly() : range;
    scan = reverse ? scan.reversed() : scan;
    long cap = all ? Long.MAX_VALUE : (limit == null ? DEFAULT_LIMIT : limit);
    ScanPrinter printer = new ScanPrinter(root.printer(), output, keysOnly);
    long printed = 0;
    boolean cut = false;
    try (ClientLease client = root.client()) {
      while (true) {
        long remaining = cap - printed;
        int size = all ? pageSize : (int) Math.min(pageSize, remaining + 1);
        ScanPage page = client.kv().scan(scan.withLimit(size));
        for (KeyValue kv : page.kvs()) {
          if (printed == cap) {
            cut = true;
            break;
          }
          printer.print(kv);
          printed++;
        }
        if (cut || !page.hasMore()) {
          break;
        }
        scan = scan.after(page.continuation());
      }
    }
    printer.finish();
    if (cut) {
      root.context()
          .err()
          .println(
              "kvctl: stopped after "
                  + printed
                  + (printed == 1 ? " key" : " keys")
                  + "; more follow (raise --limit, or --all for every key)");
    }
    return ExitCodes.OK;
  }

  private void check() {
    if (all && limit != null) {
      throw new UsageException("give either --limit or --all, not both");
    }
    if (limit != null && limit < 1) {
      throw new UsageException("--limit must be 1 or more, got " + limit);
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new UsageException(
          "--page-size must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
  }
}
