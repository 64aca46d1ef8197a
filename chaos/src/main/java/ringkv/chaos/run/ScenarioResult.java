package ringkv.chaos.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import ringkv.chaos.check.CheckResult;
import ringkv.chaos.check.Verdict;
import ringkv.chaos.fault.FaultWindow;
import ringkv.chaos.history.Operation;
import ringkv.chaos.history.Outcome;

/**
 * What one scenario showed: operations by outcome, each fault with the clients' availability
 * during it and the time to the first write after its heal, the linearizability check, and
 * whether the cluster served again and its replicas converged.
 *
 * @param recoveryFailure why the cluster did not serve again after the last heal; null if it did
 * @param convergenceFailure why some shard's replicas still differ; null if they converged
 */
public record ScenarioResult(String scenario, long seed, Duration duration, Path folder, long operations, long ok, long failed,
    long unknown, double okPerSecondOutsideFaults, List<WindowStats> faults, CheckResult check, @Nullable String recoveryFailure,
    @Nullable String convergenceFailure) {

  public ScenarioResult {
    faults = List.copyOf(faults);
  }

  static ScenarioResult of(String scenario, long seed, Duration duration, Path folder, List<Operation> operations,
      List<FaultWindow> windows, CheckResult check, @Nullable String recoveryFailure, @Nullable String convergenceFailure) {
    long ok = operations.stream().filter(o -> o.outcome() == Outcome.OK).count();
    long failed = operations.stream().filter(o -> o.outcome() == Outcome.FAIL).count();
    List<WindowStats> stats = windows.stream().map(w -> WindowStats.of(w, operations)).toList();
    double pace = WindowStats.okPerSecondOutside(windows, operations, duration.toNanos());
    return new ScenarioResult(scenario, seed, duration, folder, operations.size(), ok, failed, operations.size() - ok - failed,
        pace, stats, check, recoveryFailure, convergenceFailure);
  }

  /** No violation, the cluster served again, the replicas converged. An "unknown" key is reported, not failed. */
  public boolean passed() {
    return check.verdict() != Verdict.VIOLATION && recoveryFailure == null && convergenceFailure == null;
  }

  /** The report as people read it. */
  public String text() {
    StringBuilder t = new StringBuilder();
    t.append(String.format("-- %s: %s (seed %d)%n", scenario, passed() ? "PASSED" : "FAILED", seed));
    t.append(String.format("   operations %d: ok %d, fail %d, unknown %d; %.0f ok/s outside faults%n", operations, ok, failed,
        unknown, okPerSecondOutsideFaults));
    for (WindowStats w : faults) {
      FaultWindow f = w.window();
      t.append(String.format("   fault #%d %s %.1fs-%.1fs: %s%s%n", f.number(), f.fault(), f.injectedNanos() / 1e9,
          f.healedNanos() / 1e9, f.description(), f.outcome().isEmpty() ? "" : " (" + f.outcome() + ")"));
      t.append(String.format("      during it %.0f ok/s, %.0f%% of completions ok (%d/%d); first write after heal %s%n",
          w.okPerSecond(), w.availability() * 100, w.succeeded(), w.completed(),
          w.recoveryMillis() < 0 ? "none" : "after " + w.recoveryMillis() + " ms"));
    }
    t.append("   linearizability: ").append(check.render().replace("\n", "\n   ")).append('\n');
    t.append("   recovery: ").append(recoveryFailure == null ? "served again after the last heal; every key read" : recoveryFailure)
        .append('\n');
    t.append("   replicas: ").append(convergenceFailure == null
        ? (recoveryFailure == null ? "every shard's replicas hold the same state (revision and digest)" : "not checked")
        : "DIVERGED: " + convergenceFailure).append('\n');
    t.append("   history ").append(folder.resolve("history.jsonl")).append('\n');
    return t.toString();
  }

  public JsonObject json() {
    JsonObject j = new JsonObject();
    j.addProperty("scenario", scenario);
    j.addProperty("passed", passed());
    j.addProperty("seed", seed);
    j.addProperty("duration_seconds", duration.toSeconds());
    j.addProperty("operations", operations);
    j.addProperty("ok", ok);
    j.addProperty("fail", failed);
    j.addProperty("unknown", unknown);
    j.addProperty("ok_per_second_outside_faults", okPerSecondOutsideFaults);
    JsonArray faultList = new JsonArray();
    for (WindowStats w : faults) {
      JsonObject f = new JsonObject();
      f.addProperty("number", w.window().number());
      f.addProperty("fault", w.window().fault());
      f.addProperty("description", w.window().description());
      f.addProperty("injected_seconds", w.window().injectedNanos() / 1e9);
      f.addProperty("healed_seconds", w.window().healedNanos() / 1e9);
      f.addProperty("outcome", w.window().outcome());
      f.addProperty("completed", w.completed());
      f.addProperty("succeeded", w.succeeded());
      f.addProperty("availability", w.availability());
      f.addProperty("ok_per_second", w.okPerSecond());
      f.addProperty("first_write_after_heal_ms", w.recoveryMillis());
      faultList.add(f);
    }
    j.add("faults", faultList);
    j.add("linearizability", JsonParser.parseString(check.toJson()));
    j.addProperty("recovery_failure", recoveryFailure);
    j.addProperty("convergence_failure", convergenceFailure);
    j.addProperty("history", folder.resolve("history.jsonl").toString());
    return j;
  }

  /** report.txt and report.json in {@code folder}. */
  void write(Path folder) throws IOException {
    Files.writeString(folder.resolve("report.txt"), text(), StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("report.json"), new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json()),
        StandardCharsets.UTF_8);
  }

  /** summary.json in {@code folder}: every scenario's report. */
  static void writeSummary(Path folder, List<ScenarioResult> results) throws IOException {
    JsonArray all = new JsonArray();
    results.forEach(r -> all.add(r.json()));
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("summary.json"), new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(all),
        StandardCharsets.UTF_8);
  }
}
