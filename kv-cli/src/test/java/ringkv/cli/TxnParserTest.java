package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ringkv.client.Condition;
import ringkv.client.Condition.Relation;
import ringkv.client.Condition.Target;
import ringkv.client.Txn;
import ringkv.client.TxnOp;

class TxnParserTest {
  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static Txn parse(String text) {
    return TxnParser.parse(text, false);
  }

  private static void assertError(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void issueExample_threeSections() {
    Txn txn =
        parse(
            """
            value("k1") = "v1"
            version("k2") > 3
            exists("k3") = false

            put k1 v2
            get k2

            get k1
            """);
    assertThat(txn.conditions())
        .containsExactly(
            Condition.valueEquals(b("k1"), b("v1")),
            Condition.version(b("k2"), Relation.GREATER, 3),
            Condition.absent(b("k3")));
    assertThat(txn.then()).containsExactly(TxnOp.put(b("k1"), b("v2")), TxnOp.get(b("k2")));
    assertThat(txn.otherwise()).containsExactly(TxnOp.get(b("k1")));
  }

  @Test
  void everyTargetAndRelation() {
    Txn txn =
        parse(
            """
            value("a") != "x"
            value(a) < b
            version("v") = 0
            create("c") > "5"
            mod("m") < 7
            exists("e") = true
            exists("f") != true
            exists("g") != false
            """);
    assertThat(txn.conditions())
        .containsExactly(
            Condition.value(b("a"), Relation.NOT_EQUAL, b("x")),
            Condition.value(b("a"), Relation.LESS, b("b")),
            Condition.version(b("v"), Relation.EQUAL, 0),
            Condition.createRevision(b("c"), Relation.GREATER, 5),
            Condition.modRevision(b("m"), Relation.LESS, 7),
            Condition.exists(b("e")),
            Condition.absent(b("f")),
            Condition.exists(b("g")));
    assertThat(txn.then()).isEmpty();
    assertThat(txn.otherwise()).isEmpty();
  }

  @Test
  void spacingIsFree_crlfAccepted() {
    Txn txn = parse("  version ( \"k\" )>3  \r\n\r\n  put   k   v  \r\n");
    assertThat(txn.conditions()).containsExactly(Condition.version(b("k"), Relation.GREATER, 3));
    assertThat(txn.then()).containsExactly(TxnOp.put(b("k"), b("v")));
  }

  @Test
  void quotedStrings_escapesSpacesAndEmptyValue() {
    Txn txn =
        parse(
            """
            value("a \\"b\\"") = "line1\\nline2\\t\\\\"

            put "key with spaces" ""
            del "x"
            delete y
            """);
    assertThat(txn.conditions())
        .containsExactly(Condition.valueEquals(b("a \"b\""), b("line1\nline2\t\\")));
    assertThat(txn.then())
        .containsExactly(
            TxnOp.put(b("key with spaces"), ByteString.EMPTY),
            TxnOp.delete(b("x")),
            TxnOp.delete(b("y")));
  }

  @Test
  void noCompares_leadingBlankLine() {
    Txn txn = parse("\nput k v\n");
    assertThat(txn.conditions()).isEmpty();
    assertThat(txn.then()).containsExactly(TxnOp.put(b("k"), b("v")));
  }

  @Test
  void failureOpsOnly_trailingBlankLinesIgnored() {
    Txn txn = parse("exists(k) = true\n\n\nget k\n\n\n\n");
    assertThat(txn.then()).isEmpty();
    assertThat(txn.otherwise()).containsExactly(TxnOp.get(b("k")));
  }

  @Test
  void hex_appliesToEveryKeyAndValue() {
    Txn txn = TxnParser.parse("value(\"00ff\") = 0x01\n\nput 00ff 02\nget \"0A\"\n", true);
    ByteString key = ByteString.copyFrom(new byte[] {0, (byte) 0xff});
    assertThat(txn.conditions())
        .containsExactly(Condition.valueEquals(key, ByteString.copyFrom(new byte[] {1})));
    assertThat(txn.then())
        .containsExactly(
            TxnOp.put(key, ByteString.copyFrom(new byte[] {2})),
            TxnOp.get(ByteString.copyFrom(new byte[] {10})));
  }

  @Test
  void numbers_quotedOrBare() {
    assertThat(parse("mod(k) = \"12\"\n").conditions().get(0))
        .isEqualTo(new Condition(b("k"), Target.MOD_REVISION, Relation.EQUAL, 12, ByteString.EMPTY));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "~valu(\"k\") = 1~|txn line 1: unknown compare target 'valu': use value, version, create,"
            + " mod or exists (or is a blank line missing before the ops?)",
        "~value \"k\" = 1~|txn line 1: expected '(' after value, found '\"k\" = 1'",
        "~value(\"k\" = 1~|txn line 1: expected ')' after the key, found '= 1'",
        "~value(\"k) = 1~|txn line 1: unterminated string starting at column 7",
        "~value(\"k\") == 1~|txn line 1: '==' is not an operator: use =, !=, > or <",
        "~value(\"k\") >= 1~|txn line 1: '>=' is not an operator: use =, !=, > or <",
        "~value(\"k\") ? 1~|txn line 1: expected =, !=, > or < after value(...), found '? 1'",
        "~value(\"k\") =~|txn line 1: missing VALUE",
        "~version(\"k\") = x~|txn line 1: version compares with a whole number 0 or more, not 'x'",
        "~version(\"k\") = -1~|txn line 1: version compares with a whole number 0 or more, not"
            + " '-1'",
        "~exists(\"k\") > true~|txn line 1: exists takes = or != and true or false",
        "~exists(\"k\") = yes~|txn line 1: exists compares with true or false, not 'yes'",
        "~value(\"k\") = \"v\" extra~|txn line 1: unexpected 'extra' at the end of the line",
        "~value(\"\") = v~|txn line 1: KEY must not be empty",
        "~value(\"k\") = \"a\\qb\"~|txn line 1: unknown escape '\\q' at column 16 (use \\\", \\\\,"
            + " \\n, \\r or \\t; --hex for other bytes)",
        "~value(\"k\") = \"a\"b~|txn line 1: expected a space after the string that ends at column"
            + " 16",
        "~put k v~|txn line 1: unknown compare target 'put': use value, version, create, mod or"
            + " exists (or is a blank line missing before the ops?)",
      })
  void compareErrors_nameLineAndProblem(String text, String message) {
    assertError(text, message);
  }

  @Test
  void opErrors_countLinesAcrossSections() {
    assertError("value(k) = v\n\nput k\n", "txn line 3: missing VALUE (put KEY VALUE)");
    assertError("\nget\n", "txn line 2: missing KEY (get KEY)");
    assertError("\nput k v\n\nfrob k\n", "txn line 4: unknown op 'frob': use put KEY VALUE, get KEY or del KEY");
    assertError("\nget k extra\n", "txn line 2: unexpected 'extra' at the end of the line");
    assertError("\n\"k\" v\n", "txn line 2: expected an op: use put KEY VALUE, get KEY or del KEY");
    assertError("exists(k) = true\n\nget k\n\nget k\n\nget k\n", "txn line 7: a transaction has three sections (compares,"
        + " success ops, failure ops) separated by blank lines; this would be a fourth");
  }

  @Test
  void empty_isAnError() {
    assertError("", "the transaction is empty");
    assertError("\n\n  \n", "the transaction is empty");
  }

  @Test
  void hex_badKeyNamesLine() {
    assertThatThrownBy(() -> TxnParser.parse("\nput zz 00\n", true))
        .isInstanceOf(UsageException.class)
        .hasMessage("txn line 2: KEY is not valid hex: 'z' at position 0 is not a hex digit");
  }
}
