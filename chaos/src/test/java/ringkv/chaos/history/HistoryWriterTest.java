package ringkv.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryWriterTest {
  private final StringWriter out = new StringWriter();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final HistoryWriter writer = new HistoryWriter(out, () -> clock.addAndGet(500), false);

  @Test
  void record_everyKindOfEvent_readsBackEqual() throws IOException {
    var written = new ArrayList<Event>();
    Event get = writer.invokeGet(0, "k1");
    written.add(get);
    Event put = writer.invokePut(1, "k1", "c1-1");
    written.add(put);
    written.add(writer.okGet(get, null));
    written.add(writer.ok(put));
    Event cas = writer.invokeCas(2, "k1", "c1-1", "c2-1");
    written.add(cas);
    written.add(writer.okCas(cas, false));
    Event delete = writer.invokeDelete(2, "k2");
    written.add(delete);
    written.add(writer.info(delete, Map.of("error", "DEADLINE_EXCEEDED", "node", "n2")));
    Event retry = writer.invokePut(2, "k2", "quote \" and \\ and \n and ü");
    written.add(retry);
    written.add(writer.fail(retry, Map.of("error", "UNAVAILABLE")));
    Event read = writer.invokeGet(0, "k1");
    written.add(read);
    written.add(writer.okGet(read, "c1-1"));
    writer.close();

    List<Event> read1 = HistoryReader.read(new StringReader(out.toString()), "test");

    assertThat(read1).containsExactlyElementsOf(written);
    assertThat(read1)
        .extracting(Event::index)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(out.toString().lines()).hasSize(12);
    assertThat(out.toString().lines().findFirst().orElseThrow())
        .isEqualTo(
            "{\"index\":0,\"time\":1500,\"process\":0,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k1\"}");
    assertThat(out.toString())
        .contains("\"type\":\"ok\",\"f\":\"get\",\"key\":\"k1\",\"value\":null}");
  }

  @Test
  void complete_copiesValueAndExpectedFromInvocation() {
    Event cas = writer.invokeCas(3, "k7", "c1-4", "c3-17");
    Event ok = writer.okCas(cas, true);

    assertThat(ok.value()).isEqualTo("c3-17");
    assertThat(ok.expected()).isEqualTo("c1-4");
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.type()).isEqualTo(EventType.OK);
  }

  @Test
  void record_clockGoingBackwards_keepsTimesNonDecreasing() {
    var backwards = new AtomicLong(10_000);
    var w = new HistoryWriter(new StringWriter(), () -> backwards.addAndGet(-100), false);

    Event first = w.invokeGet(0, "k");
    Event second = w.okGet(first, null);

    assertThat(second.timeNanos()).isEqualTo(first.timeNanos());
  }

  @Test
  void invoke_processAlreadyBusy_isRefused() {
    writer.invokeGet(1, "k");

    assertThatThrownBy(() -> writer.invokePut(1, "k", "v"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("process 1 already runs an operation invoked at index 0");
  }

  @Test
  void complete_operationNotOpen_isRefused() {
    Event put = writer.invokePut(1, "k", "v");
    writer.ok(put);

    assertThatThrownBy(() -> writer.ok(put))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not the open operation of process 1");
  }

  @Test
  void invoke_processAfterInfo_isReusable() {
    Event put = writer.invokePut(1, "k", "v");
    writer.info(put, Map.of());

    Event next = writer.invokeGet(1, "k");

    assertThat(next.index()).isEqualTo(2);
  }

  @Test
  void record_afterClose_isRefused() throws IOException {
    writer.close();
    writer.close(); // idempotent

    assertThatThrownBy(() -> writer.invokeGet(0, "k")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invoke_extraNamedLikeAField_isRefusedWithoutUsingAnIndex() {
    assertThatThrownBy(() -> writer.invoke(0, OpFunction.GET, "k", null, null, Map.of("time", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'time'");

    assertThat(writer.invokeGet(0, "k").index()).isZero();
  }

  @Test
  void record_concurrentWriters_writeWholeLinesInIndexOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("history.jsonl");
    int threads = 8;
    int opsPerThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (var shared = HistoryWriter.open(file, false)) {
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < threads; t++) {
        int process = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < opsPerThread; i++) {
                    Event put = shared.invokePut(process, "k" + (i % 3), "c" + process + "-" + i);
                    shared.ok(put);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    List<Event> events = HistoryReader.read(file);
    List<Operation> ops = HistoryReader.readOperations(file);

    assertThat(events).hasSize(threads * opsPerThread * 2);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).index()).isEqualTo(i);
    }
    assertThat(ops).hasSize(threads * opsPerThread).allMatch(op -> op.outcome() == Outcome.OK);
  }
}
