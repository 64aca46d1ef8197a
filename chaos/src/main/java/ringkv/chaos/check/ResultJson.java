package ringkv.chaos.check;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;
import ringkv.chaos.history.Operation;

/** {@link CheckResult} as JSON; field names follow the history format's snake_case style. */
final class ResultJson {
  private ResultJson() {}

  static String encode(CheckResult result) {
    var root = new JsonObject();
    root.addProperty("verdict", result.verdict().name());
    var keys = new JsonArray();
    for (KeyResult key : result.keys()) {
      var k = new JsonObject();
      k.addProperty("key", key.key());
      k.addProperty("verdict", key.verdict().name());
      k.addProperty("operations", key.operations());
      k.addProperty("searched_operations", key.searchedOperations());
      k.addProperty("states_explored", key.statesExplored());
      k.addProperty("elapsed_ms", key.elapsed().toMillis());
      if (key.stuckAt() != null) {
        k.add("stuck_at", operation(key.stuckAt()));
      }
      if (key.counterexample() != null) {
        k.add("counterexample", counterexample(key.counterexample()));
      }
      keys.add(k);
    }
    root.add("keys", keys);
    return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(root);
  }

  private static JsonObject counterexample(Counterexample c) {
    var json = new JsonObject();
    json.addProperty("explanation", c.explanation());
    json.addProperty("starts_absent", c.startsAbsent());
    json.addProperty("minimal", c.minimal());
    var ops = new JsonArray();
    for (Operation op : c.operations()) {
      ops.add(operation(op));
    }
    json.add("operations", ops);
    return json;
  }

  private static JsonObject operation(Operation op) {
    var o = new JsonObject();
    o.addProperty("process", op.process());
    o.addProperty("f", op.function().jsonName());
    o.addProperty("key", op.key());
    o.addProperty("value", op.value());
    o.addProperty("expected", op.expected());
    o.addProperty("outcome", op.outcome().name().toLowerCase(Locale.ROOT));
    o.addProperty("read", op.read());
    o.addProperty("succeeded", op.succeeded());
    o.addProperty("invoke_index", op.invokeIndex());
    o.addProperty("invoke_time", op.invokeTimeNanos());
    o.addProperty("complete_index", op.hasCompletion() ? op.completeIndex() : null);
    o.addProperty("complete_time", op.hasCompletion() ? op.completeTimeNanos() : null);
    o.addProperty("text", op.describe());
    return o;
  }
}
