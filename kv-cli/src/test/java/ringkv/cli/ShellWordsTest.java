package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {
  @Test
  void whitespaceSeparates() {
    assertThat(ShellWords.split("  put\tk   v ")).containsExactly("put", "k", "v");
    assertThat(ShellWords.split("   ")).isEmpty();
  }

  @Test
  void singleQuotes_literal() {
    assertThat(ShellWords.split("put k 'a b \\ \"c\"'")).containsExactly("put", "k", "a b \\ \"c\"");
  }

  @Test
  void doubleQuotes_escapeQuoteAndBackslashOnly() {
    assertThat(ShellWords.split("put k \"say \\\"hi\\\" \\\\ \\n\""))
        .containsExactly("put", "k", "say \"hi\" \\ \\n");
  }

  @Test
  void backslashOutsideQuotes_escapesNextChar() {
    assertThat(ShellWords.split("put a\\ b c\\'d")).containsExactly("put", "a b", "c'd");
    assertThat(ShellWords.split("put k \\\nv")).containsExactly("put", "k", "v");
  }

  @Test
  void emptyQuotes_emptyWord_adjacentPartsJoin() {
    assertThat(ShellWords.split("put k ''")).containsExactly("put", "k", "");
    assertThat(ShellWords.split("put k \"\"")).containsExactly("put", "k", "");
    assertThat(ShellWords.split("put k a'b c'\"d\"")).containsExactly("put", "k", "ab cd");
  }

  @Test
  void unterminated_usageError() {
    assertThatThrownBy(() -> ShellWords.split("put k 'v"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unterminated ' quote at column 7");
    assertThatThrownBy(() -> ShellWords.split("put \"k v"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unterminated \" quote at column 5");
    assertThatThrownBy(() -> ShellWords.split("put k \\"))
        .isInstanceOf(UsageException.class)
        .hasMessage("the line ends in a lone backslash");
  }
}
