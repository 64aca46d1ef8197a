package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The items of {@code kvctl batch}: {@code KEY=VALUE} (put) or {@code KEY} (del), from the
 * arguments or from the lines of a file or standard input ({@code --file -}).
 *
 * <p>A put item's key runs up to its first {@code =}, and the value is the rest, possibly empty.
 * Lines are taken as they are, without trimming; only a {@code \r} before the line break goes,
 * and blank lines are skipped. Keys and values are UTF-8, or hex under {@code --hex}. A key may
 * appear once per batch. A malformed item is a usage error naming where it is ({@code argument
 * 2}, {@code items.txt line 3}); nothing is sent then.
 */
final class BatchItems {
  /** The {@code --file} value that means "read standard input". */
  static final String STDIN = "-";

  /** One item as written, and where it was: {@code argument 2}, {@code items.txt line 3}. */
  private record Item(String text, String origin) {}

  private BatchItems() {}

  /**
   * The key-value pairs to put, in the order given.
   *
   * @param stdin standard input, or null in {@code kvctl shell}, where {@code --file -} is refused
   * @throws UsageException when an item is malformed, a key repeats, or there are no items
   * @throws CommandFailedException when the file or standard input cannot be read
   */
  static Map<ByteString, ByteString> puts(
      List<String> args, @Nullable String file, boolean hex, @Nullable InputStream stdin) {
    Map<ByteString, ByteString> puts = new LinkedHashMap<>();
    Map<ByteString, String> seen = new HashMap<>();
    for (Item item : items(args, file, stdin)) {
      int eq = item.text().indexOf('=');
      if (eq < 0) {
        throw new UsageException(item.origin() + ": no '=': give KEY=VALUE");
      }
      ByteString key = key(item, item.text().substring(0, eq), hex, seen);
      puts.put(key, ValueSource.argument(item.text().substring(eq + 1), hex, item.origin() + ": VALUE"));
    }
    return puts;
  }

  /**
   * The keys to delete, in the order given.
   *
   * @see #puts
   */
  static List<ByteString> keys(
      List<String> args, @Nullable String file, boolean hex, @Nullable InputStream stdin) {
    List<ByteString> keys = new ArrayList<>();
    Map<ByteString, String> seen = new HashMap<>();
    for (Item item : items(args, file, stdin)) {
      keys.add(key(item, item.text(), hex, seen));
    }
    return keys;
  }

  private static ByteString key(Item item, String text, boolean hex, Map<ByteString, String> seen) {
    ByteString key = ValueSource.argument(text, hex, item.origin() + ": KEY");
    if (key.isEmpty()) {
      throw new UsageException(item.origin() + ": empty KEY");
    }
    String first = seen.putIfAbsent(key, item.origin());
    if (first != null) {
      throw new UsageException(
          item.origin() + ": the key of " + first + " again; give each key once");
    }
    return key;
  }

  private static List<Item> items(
      List<String> args, @Nullable String file, @Nullable InputStream stdin) {
    if (file != null && !args.isEmpty()) {
      throw new UsageException("give either items or --file, not both");
    }
    List<Item> items = new ArrayList<>();
    if (file == null) {
      for (int i = 0; i < args.size(); i++) {
        items.add(new Item(args.get(i), "argument " + (i + 1)));
      }
      if (items.isEmpty()) {
        throw new UsageException(
            "missing items: give them as arguments, or --file PATH ('-' for standard input)");
      }
      return items;
    }
    String name = file.equals(STDIN) ? "standard input" : file;
    String[] lines = read(file, stdin).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (!line.isBlank()) {
        items.add(new Item(line, name + " line " + (i + 1)));
      }
    }
    if (items.isEmpty()) {
      throw new UsageException(name + " holds no items");
    }
    return items;
  }

  private static String read(String file, @Nullable InputStream stdin) {
    if (!file.equals(STDIN)) {
      return LocalFiles.read(Path.of(file)).toStringUtf8();
    }
    if (stdin == null) {
      throw new UsageException(
          "--file - reads standard input, which the shell reads its commands from; use --file"
              + " PATH");
    }
    try {
      return ByteString.readFrom(stdin).toString(UTF_8);
    } catch (IOException e) {
      throw new CommandFailedException("cannot read standard input: " + LocalFiles.describe(e), e);
    }
  }
}
