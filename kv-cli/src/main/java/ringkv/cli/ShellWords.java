package ringkv.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of {@code kvctl shell} input into arguments the way a POSIX shell would, without
 * expansions: whitespace separates words; {@code '...'} is taken literally; inside {@code "..."} a
 * backslash escapes {@code "} and {@code \}; elsewhere a backslash escapes the next character, and
 * a backslash before a line break (a line continued on the terminal) disappears with it.
 * Quoted parts and plain parts next to each other make one word, and {@code ''} is an empty word.
 */
final class ShellWords {
  private ShellWords() {}

  /**
   * @throws UsageException when a quote is not closed or the line ends in a lone backslash
   */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new UsageException("unterminated ' quote at column " + (i + 1));
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        int start = i;
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new UsageException("unterminated \" quote at column " + (start + 1));
          }
          char q = line.charAt(i);
          if (q == '"') {
            i++;
            break;
          }
          if (q == '\\'
              && i + 1 < line.length()
              && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
            word.append(line.charAt(i + 1));
            i += 2;
          } else {
            word.append(q);
            i++;
          }
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new UsageException("the line ends in a lone backslash");
        }
        if (line.charAt(i + 1) != '\n') { // backslash-newline continues the line
          word.append(line.charAt(i + 1));
          inWord = true;
        }
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
