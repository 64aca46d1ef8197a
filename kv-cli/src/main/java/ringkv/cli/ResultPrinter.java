package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import ringkv.client.BatchResult;
import ringkv.client.CasResult;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.PutResult;
import ringkv.client.ResponseMeta;
import ringkv.client.TxnOp;
import ringkv.client.TxnResult;

/**
 * Prints command results on standard output in the formats {@code docs/kvctl.md} describes. Text is
 * written as UTF-8 whatever the platform charset, and raw values byte for byte.
 */
public final class ResultPrinter {
  private static final int TABLE_CELL_MAX_CHARS = 64;
  private static final ByteString NEWLINE = ByteString.copyFromUtf8("\n");

  private final PrintStream out;
  private final boolean hex;
  private final boolean endRawWithNewline;

  /**
   * @param hex print keys and values as hex in the raw, text and table formats (JSON is always
   *     base64)
   */
  public ResultPrinter(PrintStream out, boolean hex) {
    this(out, hex, false);
  }

  /**
   * @param endRawWithNewline end a raw value with a newline unless it ends in one already ({@code
   *     kvctl shell}, where the next prompt or result follows on the same stream)
   */
  ResultPrinter(PrintStream out, boolean hex, boolean endRawWithNewline) {
    this.out = out;
    this.hex = hex;
    this.endRawWithNewline = endRawWithNewline;
  }

  /** Prints a get; for a missing key only the JSON format prints anything. */
  public void printGet(ByteString key, GetResult result, OutputFormat format) {
    KeyValue kv = result.kv();
    switch (format) {
      case RAW -> {
        if (kv != null) {
          printRawValue(kv.value());
        }
      }
      case JSON -> {
        JsonObject json = new JsonObject().field("found", kv != null);
        if (kv != null) {
          addKeyValue(json, kv);
        } else {
          json.field("key", key);
        }
        addMeta(json, result.meta());
        line(json.toString());
      }
      case TABLE -> {
        if (kv != null) {
          printTable(kv, result.meta());
        }
      }
    }
  }

  /** Prints a put: {@code OK revision=R shard=S}, and the previous value when asked for. */
  public void printPut(PutResult result, boolean prevKv, WriteFormat format) {
    if (format == WriteFormat.JSON) {
      JsonObject json = new JsonObject();
      addMeta(json, result.meta());
      if (prevKv) {
        json.field("prev_kv", keyValueJson(result.previous()));
      }
      line(json.toString());
      return;
    }
    line(okLine(result.meta()));
    if (prevKv && result.previous() != null) {
      line(text(result.previous().value()));
    }
  }

  /** Prints a delete: {@code deleted revision=R shard=S} or {@code not found}. */
  public void printDelete(DeleteResult result, boolean prevKv, WriteFormat format) {
    if (format == WriteFormat.JSON) {
      JsonObject json = new JsonObject().field("deleted", result.deleted());
      addMeta(json, result.meta());
      if (prevKv) {
        json.field("prev_kv", keyValueJson(result.previous()));
      }
      line(json.toString());
      return;
    }
    if (!result.deleted()) {
      line("not found");
      return;
    }
    line("deleted revision=" + result.meta().revision() + " shard=" + result.meta().shardId());
    if (prevKv && result.previous() != null) {
      line(text(result.previous().value()));
    }
  }

  /** Prints a range or prefix delete: {@code deleted N keys}, or {@code {"deleted":N}}. */
  public void printDeleteRange(long deleted, WriteFormat format) {
    if (format == WriteFormat.JSON) {
      line(new JsonObject().field("deleted", deleted).toString());
      return;
    }
    line("deleted " + deleted + (deleted == 1 ? " key" : " keys"));
  }

  /**
   * Prints a batch's per-item outcome, in request order: a table (KEY, STATUS, REVISION, SHARD,
   * and ERROR when an item failed) or one JSON object. STATUS is {@code OK} (put), {@code
   * DELETED} or {@code NOT_FOUND} (del), or {@code FAILED}.
   *
   * @param deletes whether the batch deleted (its items then say whether each key existed)
   */
  public void printBatch(BatchResult result, boolean deletes, BatchFormat format) {
    if (format == BatchFormat.JSON) {
      List<JsonObject> items = new ArrayList<>(result.items().size());
      for (BatchResult.Item item : result.items()) {
        JsonObject json = new JsonObject().field("key", item.key()).field("ok", item.ok());
        if (deletes) {
          json.field("deleted", item.deleted());
        }
        items.add(
            json.field("revision", item.ok() ? Long.valueOf(item.revision()) : null)
                .field("shard", item.shardId())
                .field("error", item.ok() ? null : item.error()));
      }
      line(new JsonObject().field("ok", result.allOk()).objects("items", items).toString());
      return;
    }
    boolean errors = !result.allOk();
    List<String> header = new ArrayList<>(List.of("KEY", "STATUS", "REVISION", "SHARD"));
    if (errors) {
      header.add("ERROR");
    }
    TextTable table = new TextTable(header);
    for (BatchResult.Item item : result.items()) {
      List<String> row = new ArrayList<>(header.size());
      row.add(cell(item.key()));
      row.add(batchStatus(item, deletes));
      row.add(item.ok() ? Long.toString(item.revision()) : "-");
      row.add(Integer.toString(item.shardId()));
      if (errors) {
        row.add(item.ok() ? "-" : ErrorReporter.oneLine(item.error()));
      }
      table.row(row);
    }
    table.lines().forEach(this::line);
  }

  private static String batchStatus(BatchResult.Item item, boolean deletes) {
    if (!item.ok()) {
      return "FAILED";
    }
    if (!deletes) {
      return "OK";
    }
    return item.deleted() ? "DELETED" : "NOT_FOUND";
  }

  /**
   * Prints the outcome of a compare-and-set: {@code OK revision=R shard=S} when it succeeded, else
   * nothing (the caller reports the failed comparison on standard error); JSON in both cases.
   */
  public void printCas(CasResult result, WriteFormat format) {
    if (format == WriteFormat.JSON) {
      JsonObject json = new JsonObject().field("succeeded", result.succeeded());
      addMeta(json, result.meta());
      json.field("current", keyValueJson(result.current()));
      line(json.toString());
      return;
    }
    if (result.succeeded()) {
      line(okLine(result.meta()));
    }
  }

  /**
   * What a failed comparison found, for the one line on standard error: {@code current value V
   * (version N)} or {@code key does not exist}. V is shown as a table cell is.
   */
  String compareFailure(@Nullable KeyValue current) {
    if (current == null) {
      return "key does not exist";
    }
    return "current value " + cell(current.value()) + " (version " + current.version() + ")";
  }

  /**
   * Prints a transaction's outcome: {@code SUCCESS} or {@code FAILURE}, then one line per op of the
   * branch that ran, as put, get (the value, or {@code not found}) and del print them; or one JSON
   * object.
   *
   * @param ops the ops of the branch that ran, in order, to pair with {@code result.results()}
   */
  public void printTxn(List<TxnOp> ops, TxnResult result, WriteFormat format) {
    List<Object> results = result.results();
    if (format == WriteFormat.JSON) {
      List<JsonObject> items = new ArrayList<>(results.size());
      for (int i = 0; i < results.size(); i++) {
        items.add(txnOpJson(i < ops.size() ? ops.get(i) : null, results.get(i)));
      }
      JsonObject json = new JsonObject().field("succeeded", result.succeeded());
      addMeta(json, result.meta());
      line(json.objects("results", items).toString());
      return;
    }
    line(result.succeeded() ? "SUCCESS" : "FAILURE");
    for (Object r : results) {
      if (r instanceof PutResult put) {
        line(okLine(put.meta()));
      } else if (r instanceof GetResult get) {
        line(get.kv() == null ? "not found" : text(get.kv().value()));
      } else if (r instanceof DeleteResult delete) {
        printDelete(delete, false, WriteFormat.TEXT);
      } else {
        line(String.valueOf(r));
      }
    }
  }

  private JsonObject txnOpJson(@Nullable TxnOp op, Object r) {
    JsonObject json = new JsonObject();
    if (r instanceof PutResult put) {
      json.field("op", "put");
      addMeta(json, put.meta());
    } else if (r instanceof GetResult get) {
      json.field("op", "get").field("found", get.kv() != null);
      if (get.kv() != null) {
        addKeyValue(json, get.kv());
      } else if (op != null) {
        json.field("key", op.key());
      }
      addMeta(json, get.meta());
    } else if (r instanceof DeleteResult delete) {
      json.field("op", "del").field("deleted", delete.deleted());
      addMeta(json, delete.meta());
    } else {
      json.field("op", String.valueOf(r));
    }
    return json;
  }

  private static String okLine(ResponseMeta meta) {
    return "OK revision=" + meta.revision() + " shard=" + meta.shardId();
  }

  /** Prints one line, UTF-8, with a {@code \n} line end on every platform. */
  public void line(String text) {
    write(text + "\n");
  }

  /** Prints {@code text} as it is, UTF-8, in one write. */
  void write(String text) {
    byte[] bytes = text.getBytes(UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  private void printRawValue(ByteString value) {
    if (hex) {
      line(Hex.encode(value));
    } else {
      out.write(value.toByteArray(), 0, value.size());
      if (endRawWithNewline && !value.endsWith(NEWLINE)) {
        out.write('\n');
      }
    }
  }

  /** Bytes as one line of text: hex under --hex, else the bytes read as UTF-8. */
  String text(ByteString bytes) {
    return hex ? Hex.encode(bytes) : bytes.toStringUtf8();
  }

  private void printTable(KeyValue kv, ResponseMeta meta) {
    List<String> header =
        List.of("KEY", "VALUE", "CREATE_REVISION", "MOD_REVISION", "VERSION", "SHARD");
    List<String> row =
        List.of(
            cell(kv.key()),
            cell(kv.value()),
            Long.toString(kv.createRevision()),
            Long.toString(kv.modRevision()),
            Long.toString(kv.version()),
            Integer.toString(meta.shardId()));
    new TextTable(header).row(row).lines().forEach(this::line);
  }

  /**
   * A table cell: hex under --hex; else the text when the bytes are UTF-8 without control
   * characters; else {@code 0x} and hex. Long cells are cut to {@value #TABLE_CELL_MAX_CHARS}
   * characters, ending in {@code ...}.
   */
  String cell(ByteString bytes) {
    String text;
    if (hex) {
      text = Hex.encode(bytes);
    } else if (bytes.isValidUtf8()
        && bytes.toStringUtf8().codePoints().noneMatch(Character::isISOControl)) {
      text = bytes.toStringUtf8();
    } else {
      text = "0x" + Hex.encode(bytes);
    }
    if (text.length() <= TABLE_CELL_MAX_CHARS) {
      return text;
    }
    int cut = TABLE_CELL_MAX_CHARS - 3;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "...";
  }

  private static void addMeta(JsonObject json, ResponseMeta meta) {
    json.field("revision", meta.revision()).field("shard", meta.shardId());
  }

  static void addKeyValue(JsonObject json, KeyValue kv) {
    json.field("key", kv.key())
        .field("value", kv.value())
        .field("create_revision", kv.createRevision())
        .field("mod_revision", kv.modRevision())
        .field("version", kv.version());
  }

  private static @Nullable JsonObject keyValueJson(@Nullable KeyValue kv) {
    if (kv == null) {
      return null;
    }
    JsonObject json = new JsonObject();
    addKeyValue(json, kv);
    return json;
  }
}
