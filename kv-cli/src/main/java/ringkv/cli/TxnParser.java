package ringkv.cli;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ringkv.client.Condition;
import ringkv.client.Condition.Relation;
import ringkv.client.Condition.Target;
import ringkv.client.Txn;
import ringkv.client.TxnOp;

/**
 * Reads the text form of a transaction ({@code kvctl txn}), after etcdctl's: three sections
 * separated by blank lines, one item per line.
 *
 * <pre>
 * value("k1") = "v1"          compares: all must hold
 * version("k2") &gt; 3
 * exists("k3") = false
 *                             (blank line)
 * put k1 v2                   success ops: run when every compare holds
 * get k2
 *                             (blank line)
 * get k1                      failure ops: run otherwise
 * </pre>
 *
 * <p>A compare is {@code value|version|create|mod("KEY") OP OPERAND} with OP one of {@code =},
 * {@code !=}, {@code >}, {@code <} (the operand of {@code value} is a string, the others a
 * number, quoted or not), or {@code exists("KEY") =|!= true|false}. An op is {@code put KEY VALUE},
 * {@code get KEY} or {@code del KEY}. Keys and values are bare words or double-quoted strings with
 * the escapes {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}; under {@code --hex}
 * every key and value is hex. Sections left out are empty; blank lines after the third section are
 * ignored.
 */
final class TxnParser {
  private TxnParser() {}

  /**
   * @throws UsageException naming the line (counted from 1) and the problem
   */
  static Txn parse(String text, boolean hex) {
    List<Condition> conditions = new ArrayList<>();
    List<List<TxnOp>> branches = List.of(new ArrayList<>(), new ArrayList<>());
    String[] lines = text.split("\n", -1);
    int section = 0;
    boolean any = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int number = i + 1;
      if (line.isBlank()) {
        section++;
        continue;
      }
      if (section > 2) {
        throw new UsageException(
            "txn line "
                + number
                + ": a transaction has three sections (compares, success ops, failure ops)"
                + " separated by blank lines; this would be a fourth");
      }
      any = true;
      Cursor cursor = new Cursor(line, number, hex);
      if (section == 0) {
        conditions.add(cursor.condition());
      } else {
        branches.get(section - 1).add(cursor.op());
      }
    }
    if (!any) {
      throw new UsageException("the transaction is empty");
    }
    return new Txn(conditions, branches.get(0), branches.get(1));
  }

  /** Reads one line, left to right. */
  private static final class Cursor {
    private final String line;
    private final int number;
    private final boolean hex;
    private int pos;

    Cursor(String line, int number, boolean hex) {
      this.line = line;
      this.number = number;
      this.hex = hex;
    }

    Condition condition() {
      skipSpaces();
      String target = identifier();
      if (target.isEmpty()) {
        throw error(
            "expected a compare, value|version|create|mod|exists(\"KEY\") OP OPERAND, "
                + where());
      }
      Target kind =
          switch (target) {
            case "value" -> Target.VALUE;
            case "version" -> Target.VERSION;
            case "create" -> Target.CREATE_REVISION;
            case "mod" -> Target.MOD_REVISION;
            case "exists" -> Target.EXISTS;
            default ->
                throw error(
                    "unknown compare target '"
                        + target
                        + "': use value, version, create, mod or exists (or is a blank line"
                        + " missing before the ops?)");
          };
      skipSpaces();
      expect('(', "'(' after " + target);
      skipSpaces();
      ByteString key = key(word(")", "KEY"));
      skipSpaces();
      expect(')', "')' after the key");
      skipSpaces();
      Relation relation = relation(target);
      skipSpaces();
      Condition condition =
          switch (kind) {
            case VALUE -> new Condition(key, kind, relation, 0, bytes(word("", "VALUE"), "VALUE"));
            case EXISTS -> {
              if (relation != Relation.EQUAL && relation != Relation.NOT_EQUAL) {
                throw error("exists takes = or != and true or false");
              }
              String operand = word("", "true or false");
              boolean exists;
              if (operand.equals("true")) {
                exists = true;
              } else if (operand.equals("false")) {
                exists = false;
              } else {
                throw error("exists compares with true or false, not '" + operand + "'");
              }
              yield exists == (relation == Relation.EQUAL)
                  ? Condition.exists(key)
                  : Condition.absent(key);
            }
            default -> new Condition(key, kind, relation, number(target), ByteString.EMPTY);
          };
      end();
      return condition;
    }

    TxnOp op() {
      skipSpaces();
      String verb = identifier();
      TxnOp op =
          switch (verb.toLowerCase(Locale.ROOT)) {
            case "put" -> {
              ByteString key = key(operandWord("KEY", "put KEY VALUE"));
              ByteString value = bytes(operandWord("VALUE", "put KEY VALUE"), "VALUE");
              yield TxnOp.put(key, value);
            }
            case "get" -> TxnOp.get(key(operandWord("KEY", "get KEY")));
            case "del", "delete" -> TxnOp.delete(key(operandWord("KEY", "del KEY")));
            default ->
                throw error(
                    (verb.isEmpty() ? "expected an op" : "unknown op '" + verb + "'")
                        + ": use put KEY VALUE, get KEY or del KEY");
          };
      end();
      return op;
    }

    private String operandWord(String what, String form) {
      if (!skipSpaces() || atEnd()) {
        throw error("missing " + what + " (" + form + ")");
      }
      return word("", what);
    }

    private Relation relation(String target) {
      if (line.startsWith("!=", pos)) {
        pos += 2;
        return Relation.NOT_EQUAL;
      }
      if (!atEnd()) {
        char c = line.charAt(pos);
        Relation relation =
            switch (c) {
              case '=' -> Relation.EQUAL;
              case '>' -> Relation.GREATER;
              case '<' -> Relation.LESS;
              default -> null;
            };
        if (relation != null) {
          pos++;
          if (!atEnd() && line.charAt(pos) == '=') {
            throw error("'" + c + "=' is not an operator: use =, !=, > or <");
          }
          return relation;
        }
      }
      throw error("expected =, !=, > or < after " + target + "(...), " + where());
    }

    private long number(String target) {
      String text = word("", "a number");
      try {
        long n = Long.parseLong(text);
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(target + " compares with a whole number 0 or more, not '" + text + "'");
    }

    /**
     * A double-quoted string (escapes resolved), or a bare word running to the next space or one
     * of {@code stops}.
     */
    private String word(String stops, String what) {
      if (atEnd()) {
        throw error("missing " + what);
      }
      if (line.charAt(pos) == '"') {
        return quoted();
      }
      int start = pos;
      while (!atEnd()
          && !Character.isWhitespace(line.charAt(pos))
          && stops.indexOf(line.charAt(pos)) < 0) {
        pos++;
      }
      if (pos == start) {
        throw error("missing " + what + ", " + where());
      }
      return line.substring(start, pos);
    }

    private String quoted() {
      int open = pos;
      pos++;
      StringBuilder text = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw error("unterminated string starting at column " + (open + 1));
        }
        char c = line.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c != '\\') {
          text.append(c);
          continue;
        }
        if (atEnd()) {
          throw error("unterminated string starting at column " + (open + 1));
        }
        char escaped = line.charAt(pos++);
        switch (escaped) {
          case '"', '\\' -> text.append(escaped);
          case 'n' -> text.append('\n');
          case 'r' -> text.append('\r');
          case 't' -> text.append('\t');
          default ->
              throw error(
                  "unknown escape '\\"
                      + escaped
                      + "' at column "
                      + (pos - 1)
                      + " (use \\\", \\\\, \\n, \\r or \\t; --hex for other bytes)");
        }
      }
      if (!atEnd() && !Character.isWhitespace(line.charAt(pos)) && line.charAt(pos) != ')') {
        throw error("expected a space after the string that ends at column " + pos);
      }
      return text.toString();
    }

    private ByteString key(String text) {
      ByteString key = bytes(text, "KEY");
      if (key.isEmpty()) {
        throw error("KEY must not be empty");
      }
      return key;
    }

    private ByteString bytes(String text, String name) {
      if (!hex) {
        return ByteString.copyFromUtf8(text);
      }
      try {
        return Hex.decode(text);
      } catch (IllegalArgumentException e) {
        throw error(name + " is not valid hex: " + e.getMessage());
      }
    }

    private String identifier() {
      int start = pos;
      while (!atEnd() && (Character.isLetter(line.charAt(pos)) || line.charAt(pos) == '_')) {
        pos++;
      }
      return line.substring(start, pos);
    }

    private void expect(char c, String what) {
      if (atEnd() || line.charAt(pos) != c) {
        throw error("expected " + what + ", " + where());
      }
      pos++;
    }

    private void end() {
      skipSpaces();
      if (!atEnd()) {
        throw error("unexpected '" + rest() + "' at the end of the line");
      }
    }

    /** Skips spaces; whether there were any (or the line ended). */
    private boolean skipSpaces() {
      int start = pos;
      while (!atEnd() && Character.isWhitespace(line.charAt(pos))) {
        pos++;
      }
      return pos > start || atEnd();
    }

    private boolean atEnd() {
      return pos >= line.length();
    }

    private String rest() {
      return atEnd() ? "" : line.substring(pos);
    }

    private String where() {
      return atEnd() ? "found the end of the line" : "found '" + rest() + "'";
    }

    private UsageException error(String message) {
      return new UsageException("txn line " + number + ": " + message);
    }
  }
}
