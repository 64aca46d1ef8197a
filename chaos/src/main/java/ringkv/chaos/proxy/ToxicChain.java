package ringkv.chaos.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The toxics of one link, in the order they were added. Owned by the link's pump thread: the
 * link hands it each newly published toxic list through {@link #reconcile}, between chunks.
 *
 * <p>A toxic whose spec is unchanged keeps its running stage; a new or updated one starts a new
 * stage, rolling its toxicity again as Toxiproxy's ToxicStub.Run does. limit_data's byte count
 * survives updates of the same toxic name.
 */
final class ToxicChain {
  private record Active(ToxicSpec spec, ToxicStage stage) {}

  private final SplittableRandom random;
  private final Map<String, ToxicStages.LimitState> limitStates = new HashMap<>();
  private List<Active> active = List.of();

  ToxicChain(SplittableRandom random) {
    this.random = random;
  }

  void reconcile(List<ToxicSpec> specs, ToxicStage.LinkContext link) {
    var previous = new LinkedHashMap<String, Active>();
    for (var entry : active) {
      previous.put(entry.spec().name(), entry);
    }
    var next = new ArrayList<Active>(specs.size());
    for (var spec : specs) {
      var old = previous.remove(spec.name());
      if (old != null && old.spec().equals(spec)) {
        next.add(old);
      } else {
        next.add(new Active(spec, start(spec)));
      }
    }
    active = List.copyOf(next);
    for (var removed : previous.values()) {
      limitStates.remove(removed.spec().name());
      removed.stage().onRemoved(link);
    }
  }

  private ToxicStage start(ToxicSpec spec) {
    // Toxiproxy: a toxic runs on a link if rand < toxicity, decided when it starts there.
    if (!(random.nextDouble() < spec.toxicity())) {
      return ToxicStage.PASS_THROUGH;
    }
    var state = limitStates.computeIfAbsent(spec.name(), name -> new ToxicStages.LimitState());
    return ToxicStages.create(spec, state, random, System.nanoTime());
  }

  void process(Chunk chunk, ToxicStage.LinkContext link, ToxicStage.Emitter sink)
      throws IOException {
    emitFrom(active, 0, chunk, link, sink);
  }

  private static void emitFrom(
      List<Active> stages,
      int index,
      Chunk chunk,
      ToxicStage.LinkContext link,
      ToxicStage.Emitter sink)
      throws IOException {
    if (index == stages.size()) {
      sink.emit(chunk);
      return;
    }
    stages
        .get(index)
        .stage()
        .onData(chunk, link, piece -> emitFrom(stages, index + 1, piece, link, sink));
  }

  /** Returns whether the end of stream got through every stage. */
  boolean passEof(ToxicStage.LinkContext link) {
    for (var entry : active) {
      if (!entry.stage().onEof(link)) {
        return false;
      }
    }
    return true;
  }

  long earliestDeadlineNanos() {
    long earliest = Long.MAX_VALUE;
    for (var entry : active) {
      earliest = Math.min(earliest, entry.stage().deadlineNanos());
    }
    return earliest;
  }

  void fireDeadlines(ToxicStage.LinkContext link) {
    long now = System.nanoTime();
    for (var entry : active) {
      long deadline = entry.stage().deadlineNanos();
      if (deadline != Long.MAX_VALUE && deadline - now <= 0) {
        entry.stage().onDeadline(link);
      }
    }
  }
}
