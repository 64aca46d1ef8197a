package ringkv.chaos.check;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.Event;
import ringkv.chaos.history.HistoryReader;
import ringkv.chaos.history.HistoryWriter;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;

/**
 * Generates histories of a real linearizable register: each operation takes effect at a random
 * point inside its interval (an info one maybe never, or later than its info reply), results come
 * from applying those effects in order, and the events are recorded through {@link HistoryWriter}
 * with a simulated clock, then read back.
 *
 * @param processes client threads; 1 gives a sequential history
 * @param keys number of keys
 * @param operations total operations
 * @param infoRate share of operations whose outcome is unknown
 * @param failRate share that fail without effect
 */
record SimulatedRegisters(
    int processes, int keys, int operations, double infoRate, double failRate) {

  private static final class SimOp {
    int process;
    OpFunction f;
    String key;
    @Nullable String value;
    @Nullable String expected;
    long invoke;
    long complete;
    long effect; // -1: no effect
    char outcome; // o(k), f(ail), i(nfo), n(o completion)
    @Nullable String read;
    boolean succeeded;
  }

  /** The history as JSON lines. */
  String jsonLines(long seed) {
    var random = new SplittableRandom(seed);
    var ops = new ArrayList<SimOp>();
    long[] cursor = new long[processes];
    int[] counter = new int[processes];
    var written = new HashMap<String, List<String>>();
    for (int i = 0; i < operations; i++) {
      int p = 0;
      for (int q = 1; q < processes; q++) {
        if (cursor[q] < cursor[p]) {
          p = q;
        }
      }
      var op = new SimOp();
      op.process = p;
      op.key = "k" + random.nextInt(keys);
      int dice = random.nextInt(100);
      op.f =
          dice < 40
              ? OpFunction.GET
              : dice < 65 ? OpFunction.PUT : dice < 90 ? OpFunction.CAS : OpFunction.DELETE;
      if (op.f == OpFunction.PUT || op.f == OpFunction.CAS) {
        op.value = "p" + p + "-" + counter[p]++;
      }
      List<String> recent = written.computeIfAbsent(op.key, k -> new ArrayList<>());
      if (op.f == OpFunction.CAS) {
        op.expected =
            recent.isEmpty()
                ? "none"
                : recent.get(Math.max(0, recent.size() - 1 - random.nextInt(3)));
      }
      if (op.value != null) {
        recent.add(op.value);
      }
      op.invoke = cursor[p] + random.nextInt(20);
      op.complete = op.invoke + 2 + random.nextInt(50);
      double outcome = random.nextDouble();
      if (outcome < failRate && op.f != OpFunction.GET) {
        op.outcome = 'f';
        op.effect = -1;
      } else if (outcome < failRate + infoRate) {
        op.outcome = 'i';
        op.effect = random.nextBoolean() ? op.invoke + 1 + random.nextInt(500) : -1;
      } else {
        op.outcome = 'o';
        op.effect = op.invoke + 1 + random.nextLong(op.complete - op.invoke - 1);
      }
      cursor[p] = op.complete;
      ops.add(op);
    }
    markLastOpsInFlight(ops, random);
    applyEffects(ops);
    return record(ops);
  }

  /** Operations of the generated history, read back from its JSON lines. */
  List<Operation> operations(long seed) {
    try {
      return HistoryReader.readOperations(new StringReader(jsonLines(seed)), "simulated-" + seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void markLastOpsInFlight(List<SimOp> ops, SplittableRandom random) {
    var last = new HashMap<Integer, SimOp>();
    for (SimOp op : ops) {
      last.put(op.process, op);
    }
    for (SimOp op : last.values()) {
      if (random.nextInt(3) == 0) {
        op.outcome = 'n';
        op.effect = random.nextBoolean() ? op.invoke + 1 + random.nextInt(500) : -1;
      }
    }
  }

  private static void applyEffects(List<SimOp> ops) {
    var state = new HashMap<String, String>();
    ops.stream()
        .filter(op -> op.effect >= 0)
        .sorted(Comparator.comparingLong((SimOp op) -> op.effect))
        .forEach(
            op -> {
              String current = state.get(op.key);
              switch (op.f) {
                case GET -> op.read = current;
                case PUT -> state.put(op.key, op.value);
                case DELETE -> state.remove(op.key);
                case CAS -> {
                  op.succeeded = Objects.equals(current, op.expected);
                  if (op.succeeded) {
                    state.put(op.key, op.value);
                  }
                }
              }
            });
  }

  private static String record(List<SimOp> ops) {
    record Step(long time, boolean isInvoke, SimOp op) {}
    var steps = new ArrayList<Step>();
    for (SimOp op : ops) {
      steps.add(new Step(op.invoke, true, op));
      if (op.outcome != 'n') {
        steps.add(new Step(op.complete, false, op));
      }
    }
    // at equal times completions first: a process may invoke the moment its last call returned
    steps.sort(Comparator.comparingLong(Step::time).thenComparing(Step::isInvoke));
    var out = new StringWriter();
    long[] now = new long[1];
    var invocations = new HashMap<SimOp, Event>();
    try (var writer = new HistoryWriter(out, () -> now[0] * 1_000_000, false)) {
      for (Step step : steps) {
        now[0] = step.time;
        SimOp op = step.op;
        if (step.isInvoke) {
          invocations.put(
              op, writer.invoke(op.process, op.f, op.key, op.value, op.expected, Map.of()));
          continue;
        }
        Event invocation = invocations.get(op);
        switch (op.outcome) {
          case 'f' -> writer.fail(invocation, Map.of("error", "UNAVAILABLE"));
          case 'i' -> writer.info(invocation, Map.of("error", "DEADLINE_EXCEEDED"));
          default -> {
            switch (op.f) {
              case GET -> writer.okGet(invocation, op.read);
              case CAS -> writer.okCas(invocation, op.succeeded);
              default -> writer.ok(invocation);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
