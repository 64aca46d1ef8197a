package ringkv.chaos.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * A linearizability check by trying every order, written as plainly as possible to cross-check the
 * real one on small histories. Values repeat on purpose (the checker must not rely on unique
 * values).
 */
final class BruteForce {
  private static final String[] VALUES = {"a", "b", "c"};
  private static final String OTHER = "other";

  private BruteForce() {}

  /**
   * A random history of {@code size} operations on key "k", results random too. With {@code
   * uniqueValues} every write has its own value, and reads and cas pick among those (as the
   * workload's do), which exercises the pruning that relies on them.
   */
  static List<Operation> randomHistory(SplittableRandom random, int size, boolean uniqueValues) {
    var ops = new ArrayList<Operation>();
    var times = new ArrayList<Long>();
    for (long t = 0; t < 2L * size; t++) {
      times.add(t);
    }
    java.util.Collections.shuffle(times, new java.util.Random(random.nextLong()));
    for (int i = 0; i < size; i++) {
      long a = times.get(2 * i);
      long b = times.get(2 * i + 1);
      long invoke = Math.min(a, b);
      long complete = Math.max(a, b);
      OpFunction f = OpFunction.values()[random.nextInt(4)];
      int dice = random.nextInt(10);
      Outcome outcome = dice < 7 ? Outcome.OK : dice < 9 ? Outcome.INFO : Outcome.FAIL;
      String value =
          f == OpFunction.PUT || f == OpFunction.CAS
              ? (uniqueValues ? "w" + i : pick(random))
              : null;
      String expected = f == OpFunction.CAS ? pick(random, uniqueValues, size) : null;
      String read =
          f == OpFunction.GET && outcome == Outcome.OK && random.nextInt(4) > 0
              ? pick(random, uniqueValues, size)
              : null;
      Boolean succeeded =
          f == OpFunction.CAS && outcome == Outcome.OK ? random.nextBoolean() : null;
      boolean noCompletion = outcome == Outcome.INFO && random.nextBoolean();
      ops.add(
          new Operation(
              i,
              f,
              "k",
              value,
              expected,
              outcome,
              read,
              succeeded,
              invoke,
              invoke,
              noCompletion ? Operation.NO_COMPLETION : complete,
              noCompletion ? Operation.NO_COMPLETION : complete));
    }
    ops.sort((x, y) -> Long.compare(x.invokeIndex(), y.invokeIndex()));
    return ops;
  }

  private static String pick(SplittableRandom random, boolean uniqueValues, int size) {
    // a unique value may name no write (then nothing wrote it) or a write that failed
    return uniqueValues ? "w" + random.nextInt(size) : pick(random);
  }

  private static String pick(SplittableRandom random) {
    return VALUES[random.nextInt(VALUES.length)];
  }

  /** From absent, or if {@code !startsAbsent} from any value (absent, one it mentions, another). */
  static boolean isLinearizable(List<Operation> ops, boolean startsAbsent) {
    var live = ops.stream().filter(op -> op.outcome() != Outcome.FAIL).toList();
    List<@Nullable String> starts = new ArrayList<>();
    starts.add(null);
    if (!startsAbsent) {
      for (Operation op : ops) {
        starts.add(op.value());
        starts.add(op.expected());
        starts.add(op.read());
      }
      starts.add(OTHER);
    }
    for (String start : starts) {
      if (search(live, new boolean[live.size()], start)) {
        return true;
      }
    }
    return false;
  }

  private static boolean search(List<Operation> ops, boolean[] done, @Nullable String state) {
    boolean allRequiredDone = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && ops.get(i).outcome() == Outcome.OK) {
        allRequiredDone = false;
      }
    }
    if (allRequiredDone) {
      return true; // unknown-outcome operations left over never took effect
    }
    for (int i = 0; i < ops.size(); i++) {
      if (done[i] || !canGoNext(ops, done, i)) {
        continue;
      }
      Operation op = ops.get(i);
      var next = apply(op, state);
      if (next.isEmpty()) {
        continue;
      }
      done[i] = true;
      boolean found = search(ops, done, next.get().value);
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** No pending operation with a known return finished before {@code i} started. */
  private static boolean canGoNext(List<Operation> ops, boolean[] done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      Operation other = ops.get(j);
      if (!done[j]
          && j != i
          && other.outcome() == Outcome.OK
          && other.completeIndex() < ops.get(i).invokeIndex()) {
        return false;
      }
    }
    return true;
  }

  private record State(@Nullable String value) {}

  private static java.util.Optional<State> apply(Operation op, @Nullable String state) {
    boolean info = op.outcome() == Outcome.INFO;
    return switch (op.function()) {
      case GET ->
          info || Objects.equals(op.read(), state)
              ? java.util.Optional.of(new State(state))
              : java.util.Optional.empty();
      case PUT -> java.util.Optional.of(new State(op.value()));
      case DELETE -> java.util.Optional.of(new State(null));
      case CAS -> {
        boolean holds = Objects.equals(state, op.expected());
        if (info) {
          yield java.util.Optional.of(new State(holds ? op.value() : state));
        }
        if (op.succeeded() != holds) {
          yield java.util.Optional.empty();
        }
        yield java.util.Optional.of(new State(holds ? op.value() : state));
      }
    };
  }
}
