package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.PutResult;
import ringkv.client.ResponseMeta;

class ResultPrinterTest {
  private static final ResponseMeta META = new ResponseMeta(42, 3, 9, "n2", "n1");
  private static final ByteString KEY = ByteString.copyFromUtf8("greeting");
  private static final ByteString BINARY = ByteString.copyFrom(new byte[] {0, (byte) 0xff, '\n'});
  private static final KeyValue KV = new KeyValue(KEY, ByteString.copyFromUtf8("hello"), 5, 42, 3);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private ResultPrinter printer(boolean hex) {
    return new ResultPrinter(new PrintStream(bytes, true, UTF_8), hex);
  }

  private String out() {
    return bytes.toString(UTF_8);
  }

  @Test
  void getRaw_found_valueBytesExactlyNoNewline() {
    var kv = new KeyValue(KEY, BINARY, 5, 42, 3);
    printer(false).printGet(KEY, new GetResult(META, kv), OutputFormat.RAW);
    assertThat(bytes.toByteArray()).isEqualTo(BINARY.toByteArray());
  }

  @Test
  void getRaw_hex_hexLine() {
    var kv = new KeyValue(KEY, BINARY, 5, 42, 3);
    printer(true).printGet(KEY, new GetResult(META, kv), OutputFormat.RAW);
    assertThat(out()).isEqualTo("00ff0a\n");
  }

  @Test
  void getRaw_missing_printsNothing() {
    printer(false).printGet(KEY, new GetResult(META, null), OutputFormat.RAW);
    assertThat(out()).isEmpty();
  }

  @Test
  void getJson_found_base64AndCounters() {
    printer(false).printGet(KEY, new GetResult(META, KV), OutputFormat.JSON);
    assertThat(out())
        .isEqualTo(
            "{\"found\":true,\"key\":\"Z3JlZXRpbmc=\",\"value\":\"aGVsbG8=\",\"create_revision\":5,"
                + "\"mod_revision\":42,\"version\":3,\"revision\":42,\"shard\":3}\n");
  }

  @Test
  void getJson_hex_stillBase64() {
    printer(true).printGet(KEY, new GetResult(META, KV), OutputFormat.JSON);
    assertThat(out()).contains("\"value\":\"aGVsbG8=\"");
  }

  @Test
  void getJson_missing_foundFalseWithKey() {
    printer(false).printGet(KEY, new GetResult(META, null), OutputFormat.JSON);
    assertThat(out())
        .isEqualTo("{\"found\":false,\"key\":\"Z3JlZXRpbmc=\",\"revision\":42,\"shard\":3}\n");
  }

  @Test
  void getTable_found_alignedHeaderAndRow() {
    printer(false).printGet(KEY, new GetResult(META, KV), OutputFormat.TABLE);
    assertThat(out())
        .isEqualTo(
            "KEY       VALUE  CREATE_REVISION  MOD_REVISION  VERSION  SHARD\n"
                + "greeting  hello  5                42            3        3\n");
  }

  @Test
  void getTable_missing_printsNothing() {
    printer(false).printGet(KEY, new GetResult(META, null), OutputFormat.TABLE);
    assertThat(out()).isEmpty();
  }

  @Test
  void cell_binaryOrLongOrHex_rendered() {
    assertThat(printer(false).cell(BINARY)).isEqualTo("0x00ff0a");
    assertThat(printer(true).cell(ByteString.copyFromUtf8("hi"))).isEqualTo("6869");
    assertThat(printer(false).cell(ByteString.copyFromUtf8("grüße"))).isEqualTo("grüße");
    String longCell = printer(false).cell(ByteString.copyFromUtf8("x".repeat(100)));
    assertThat(longCell).hasSize(64).endsWith("...");
  }

  @Test
  void putText_plain_okRevisionShard() {
    printer(false).printPut(new PutResult(META, null), false, WriteFormat.TEXT);
    assertThat(out()).isEqualTo("OK revision=42 shard=3\n");
  }

  @Test
  void putText_prevKv_previousValueOnSecondLine() {
    printer(false).printPut(new PutResult(META, KV), true, WriteFormat.TEXT);
    assertThat(out()).isEqualTo("OK revision=42 shard=3\nhello\n");
  }

  @Test
  void putText_prevKvHex_previousValueInHex() {
    printer(true).printPut(new PutResult(META, KV), true, WriteFormat.TEXT);
    assertThat(out()).isEqualTo("OK revision=42 shard=3\n68656c6c6f\n");
  }

  @Test
  void putText_prevKvButNewKey_statusLineOnly() {
    printer(false).printPut(new PutResult(META, null), true, WriteFormat.TEXT);
    assertThat(out()).isEqualTo("OK revision=42 shard=3\n");
  }

  @Test
  void putJson_prevKv_nestedOrNull() {
    printer(false).printPut(new PutResult(META, KV), true, WriteFormat.JSON);
    printer(false).printPut(new PutResult(META, null), true, WriteFormat.JSON);
    printer(false).printPut(new PutResult(META, null), false, WriteFormat.JSON);
    assertThat(out())
        .isEqualTo(
            "{\"revision\":42,\"shard\":3,"
                + "\"prev_kv\":{\"key\":\"Z3JlZXRpbmc=\",\"value\":\"aGVsbG8=\","
                + "\"create_revision\":5,\"mod_revision\":42,\"version\":3}}\n"
                + "{\"revision\":42,\"shard\":3,\"prev_kv\":null}\n"
                + "{\"revision\":42,\"shard\":3}\n");
  }

  @Test
  void deleteText_deletedOrNotFound() {
    printer(false).printDelete(new DeleteResult(META, true, KV), true, WriteFormat.TEXT);
    printer(false).printDelete(new DeleteResult(META, false, null), true, WriteFormat.TEXT);
    assertThat(out()).isEqualTo("deleted revision=42 shard=3\nhello\nnot found\n");
  }

  @Test
  void deleteJson_deletedFlag() {
    printer(false).printDelete(new DeleteResult(META, false, null), false, WriteFormat.JSON);
    assertThat(out()).isEqualTo("{\"deleted\":false,\"revision\":42,\"shard\":3}\n");
  }

  @Test
  void jsonQuote_controlAndQuoteCharacters_escaped() {
    assertThat(JsonObject.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }
}
