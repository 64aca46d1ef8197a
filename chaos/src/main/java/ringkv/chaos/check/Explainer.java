package ringkv.chaos.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.history.OpFunction;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/** One line saying why a counterexample is one, for the shapes minimal counterexamples take. */
final class Explainer {
  private Explainer() {}

  static String explain(List<Operation> ops, boolean startsAbsent, List<Operation> allOfKey) {
    return neverWritten(ops, allOfKey)
        .or(() -> lostUpdate(ops))
        .or(() -> staleRead(ops))
        .or(() -> failedCasAfterWrite(ops))
        .or(() -> changedWithoutWrite(ops))
        .or(() -> readBeforeWrite(ops, startsAbsent))
        .orElseGet(
            () -> {
              Operation last =
                  ops.stream()
                      .filter(op -> op.outcome() == Outcome.OK)
                      .max((a, b) -> Long.compare(a.completeIndex(), b.completeIndex()))
                      .orElse(ops.get(ops.size() - 1));
              return "no order of these "
                  + ops.size()
                  + " operations fits a register; it cannot reach "
                  + name(last);
            });
  }

  private static Optional<String> neverWritten(List<Operation> ops, List<Operation> allOfKey) {
    Set<String> attempted =
        allOfKey.stream()
            .filter(op -> op.value() != null)
            .map(Operation::value)
            .collect(Collectors.toSet());
    for (Operation op : ops) {
      if (op.read() != null && !attempted.contains(op.read())) {
        return Optional.of(
            name(op) + " read " + op.read() + ", which no operation on the key ever wrote");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> lostUpdate(List<Operation> ops) {
    for (Operation a : ops) {
      for (Operation b : ops) {
        if (a.invokeIndex() < b.invokeIndex()
            && isSuccessfulCas(a)
            && isSuccessfulCas(b)
            && a.expected().equals(b.expected())
            && ops.stream().filter(op -> writes(op, a.expected())).count() < 2) {
          return Optional.of(
              name(a)
                  + " and "
                  + name(b)
                  + " both succeeded from "
                  + a.expected()
                  + ", but only one can replace it (lost update)");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> staleRead(List<Operation> ops) {
    for (Operation get : ops) {
      if (get.function() != OpFunction.GET || get.outcome() != Outcome.OK) {
        continue;
      }
      for (Operation write : ops) {
        boolean completedBefore =
            write.outcome() == Outcome.OK && write.completeIndex() < get.invokeIndex();
        if (completedBefore
            && isStateChange(write)
            && !Objects.equals(written(write), get.read())
            && ops.stream()
                .noneMatch(
                    op ->
                        writes(op, get.read())
                            && (op.outcome() == Outcome.INFO
                                || op.completeIndex() > write.invokeIndex()))) {
          return Optional.of(
              name(get)
                  + " read "
                  + show(get.read())
                  + " after "
                  + name(write)
                  + " had completed, and no write of "
                  + show(get.read())
                  + " could come between (stale read)");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> failedCasAfterWrite(List<Operation> ops) {
    for (Operation cas : ops) {
      if (!(cas.function() == OpFunction.CAS && Boolean.FALSE.equals(cas.succeeded()))) {
        continue;
      }
      for (Operation write : ops) {
        if (write.outcome() == Outcome.OK
            && write.completeIndex() < cas.invokeIndex()
            && writes(write, cas.expected())
            && ops.stream().filter(Explainer::isStateChange).count() == 1) {
          return Optional.of(
              name(cas)
                  + " failed although "
                  + name(write)
                  + " had completed and nothing else wrote: the value must have been "
                  + cas.expected());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> changedWithoutWrite(List<Operation> ops) {
    if (ops.stream().anyMatch(Explainer::isStateChange)) {
      return Optional.empty();
    }
    for (Operation a : ops) {
      for (Operation b : ops) {
        if (a.function() == OpFunction.GET
            && b.function() == OpFunction.GET
            && a.completeIndex() < b.invokeIndex()
            && !Objects.equals(a.read(), b.read())) {
          return Optional.of(
              name(a)
                  + " read "
                  + show(a.read())
                  + ", then "
                  + name(b)
                  + " read "
                  + show(b.read())
                  + " with no write in between");
        }
      }
    }
    for (Operation a : ops) {
      for (Operation b : ops) {
        if (a.function() == OpFunction.GET
            && b.function() == OpFunction.GET
            && a.invokeIndex() < b.invokeIndex()
            && !Objects.equals(a.read(), b.read())) {
          return Optional.of(
              name(a)
                  + " read "
                  + show(a.read())
                  + " and "
                  + name(b)
                  + " read "
                  + show(b.read())
                  + " while they overlapped, with no write that either could have seen between");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> readBeforeWrite(List<Operation> ops, boolean startsAbsent) {
    if (!startsAbsent) {
      return Optional.empty();
    }
    for (Operation get : ops) {
      if (get.read() != null && ops.stream().noneMatch(op -> writes(op, get.read()))) {
        return Optional.of(
            name(get)
                + " read "
                + get.read()
                + ", but the key starts absent and nothing here writes "
                + get.read()
                + " before it");
      }
    }
    return Optional.empty();
  }

  private static boolean isSuccessfulCas(Operation op) {
    return op.function() == OpFunction.CAS && Boolean.TRUE.equals(op.succeeded());
  }

  /** Whether {@code op} may change the register (an info cas included). */
  private static boolean isStateChange(Operation op) {
    return op.isWrite() && !Boolean.FALSE.equals(op.succeeded());
  }

  private static boolean writes(Operation op, @Nullable String value) {
    return isStateChange(op) && Objects.equals(written(op), value);
  }

  private static @Nullable String written(Operation op) {
    return op.function() == OpFunction.DELETE ? null : op.value();
  }

  private static String show(@Nullable String value) {
    return value == null ? "absent" : value;
  }

  /** For example {@code put(v2) #4 (p2)}. */
  private static String name(Operation op) {
    String call =
        switch (op.function()) {
          case GET -> "get";
          case PUT -> "put(" + op.value() + ")";
          case DELETE -> "delete";
          case CAS -> "cas(" + op.expected() + " -> " + op.value() + ")";
        };
    return call + " #" + op.invokeIndex() + " (p" + op.process() + ")";
  }
}
