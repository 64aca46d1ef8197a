package ringkv.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {

  private static List<Event> read(String... lines) throws IOException {
    return HistoryReader.read(new StringReader(String.join("\n", lines)), "h.jsonl");
  }

  private static List<Operation> readOperations(String... lines) throws IOException {
    return HistoryReader.readOperations(new StringReader(String.join("\n", lines)), "h.jsonl");
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(HistoryReaderTest.class.getResource("/histories/" + name).toURI());
  }

  @Test
  void read_malformedLine_namesFileAndLine() throws Exception {
    Path file = resource("malformed-line-3.jsonl");

    assertThatThrownBy(() -> HistoryReader.read(file))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageContaining("malformed-line-3.jsonl:3: not JSON")
        .satisfies(e -> assertThat(((HistoryFormatException) e).lineNumber()).isEqualTo(3));
  }

  @Test
  void read_missingField_namesFieldAndLine() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
                    "{\"index\":1,\"time\":2,\"type\":\"ok\",\"f\":\"get\",\"key\":\"k\"}"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessage("h.jsonl:2: process must be an integer, got null");
  }

  @Test
  void read_badValues_areRejectedWithTheReason() {
    String base = "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"key\":\"k\",";
    assertThatThrownBy(() -> read(base + "\"f\":\"incr\"}"))
        .hasMessageContaining("h.jsonl:1: f must be get, put, delete or cas, got 'incr'");
    assertThatThrownBy(() -> read(base + "\"f\":\"cas\",\"value\":\"v\"}"))
        .hasMessageContaining("cas invoke needs expected");
    assertThatThrownBy(() -> read(base + "\"f\":\"put\",\"value\":7}"))
        .hasMessageContaining("value must be a string or null, got 7");
    assertThatThrownBy(() -> read(base + "\"f\":\"get\"} trailing"))
        .hasMessageContaining("h.jsonl:1:");
    assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("expected a JSON object");
  }

  @Test
  void read_unknownFieldsAndBlankLines_areTolerated() throws IOException {
    List<Event> events =
        read(
            "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\",\"shard\":2,\"node\":\"n2\"}",
            "",
            "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"fail\",\"f\":\"get\",\"key\":\"k\",\"error\":\"UNAVAILABLE\",\"latency_ms\":1.5,\"trace\":{\"a\":1}}");

    assertThat(events).hasSize(2);
    assertThat(events.get(0).extra()).isEqualTo(Map.of("shard", "2", "node", "n2"));
    assertThat(events.get(1).extra())
        .isEqualTo(Map.of("error", "UNAVAILABLE", "latency_ms", "1.5", "trace", "{\"a\":1}"));
  }

  @Test
  void read_indexNotIncreasing_namesLine() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"index\":5,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
                    "{\"index\":5,\"time\":2,\"process\":1,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}"))
        .hasMessage("h.jsonl:2: index 5 does not increase (previous 5)");
  }

  @Test
  void read_timeGoingBackwards_namesLine() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"index\":0,\"time\":9,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
                    "{\"index\":1,\"time\":8,\"process\":1,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}"))
        .hasMessage("h.jsonl:2: time 8 goes backwards (previous 9)");
  }

  @Test
  void readOperations_okGetWithNullOrMissingValue_readsAbsent() throws IOException {
    List<Operation> ops =
        readOperations(
            "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
            "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"get\",\"key\":\"k\",\"value\":null}",
            "{\"index\":2,\"time\":3,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
            "{\"index\":3,\"time\":4,\"process\":0,\"type\":\"ok\",\"f\":\"get\",\"key\":\"k\"}");

    assertThat(ops).extracting(Operation::read).containsExactly(null, null);
    assertThat(ops).extracting(Operation::outcome).containsExactly(Outcome.OK, Outcome.OK);
  }

  @Test
  void readOperations_missingCompletion_isInfoWithoutCompletion() throws IOException {
    List<Operation> ops =
        readOperations(
            "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v\"}");

    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).outcome()).isEqualTo(Outcome.INFO);
    assertThat(ops.get(0).hasCompletion()).isFalse();
    assertThat(ops.get(0).describe()).isEqualTo("put(k, v) -> no completion (unknown)");
  }

  @Test
  void readOperations_processReusedAfterInfo_pairsEachOperation() throws IOException {
    List<Operation> ops =
        readOperations(
            "{\"index\":0,\"time\":1,\"process\":4,\"type\":\"invoke\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v\"}",
            "{\"index\":1,\"time\":2,\"process\":4,\"type\":\"info\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v\"}",
            "{\"index\":2,\"time\":3,\"process\":4,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":\"w\",\"expected\":\"v\"}",
            "{\"index\":3,\"time\":4,\"process\":4,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"k\",\"succeeded\":true}");

    assertThat(ops).extracting(Operation::outcome).containsExactly(Outcome.INFO, Outcome.OK);
    assertThat(ops.get(0).completeIndex()).isEqualTo(1);
    assertThat(ops.get(1).succeeded()).isTrue();
    assertThat(ops.get(1).value()).isEqualTo("w");
  }

  @Test
  void readOperations_completionWithoutInvocation_namesLine() {
    assertThatThrownBy(
            () ->
                readOperations(
                    "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
                    "{\"index\":1,\"time\":2,\"process\":1,\"type\":\"ok\",\"f\":\"get\",\"key\":\"k\"}"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessage("h.jsonl:2: process 1 completes an operation it never invoked");
  }

  @Test
  void readOperations_completionOfAnotherOperation_namesLine() {
    assertThatThrownBy(
            () ->
                readOperations(
                    "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"put\",\"key\":\"k\",\"value\":\"a\"}",
                    "",
                    "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"put\",\"key\":\"k\",\"value\":\"b\"}"))
        .hasMessage("h.jsonl:3: completion does not match the invocation at index 0: value b != a");
  }

  @Test
  void readOperations_secondInvocationWhileOpen_namesLine() {
    assertThatThrownBy(
            () ->
                readOperations(
                    "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}",
                    "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k\"}"))
        .hasMessage("h.jsonl:2: process 0 invokes while its operation at index 0 is open");
  }

  @Test
  void pair_eventsOutOfOrder_namesEventIndex() {
    var a = new Event(3, 1, 0, EventType.INVOKE, OpFunction.GET, "k", null, null, null, Map.of());
    var b = new Event(2, 2, 0, EventType.OK, OpFunction.GET, "k", null, null, null, Map.of());

    assertThatThrownBy(() -> Operations.pair(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event index 2: index 2 does not increase (previous 3)");
  }

  @Test
  void byKey_groupsInInvocationOrder() throws Exception {
    var ops = HistoryReader.readOperations(resource("linearizable-two-keys.jsonl"));

    var byKey = Operations.byKey(ops);

    assertThat(byKey.keySet()).containsExactly("k1", "k2");
    assertThat(byKey.get("k2"))
        .extracting(Operation::describe)
        .containsExactly(
            "put(k2, c2-2) -> fail",
            "delete(k2) -> ok",
            "get(k2) -> absent",
            "put(k2, c3-1) -> no completion (unknown)");
  }
}
