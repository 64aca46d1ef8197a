package ringkv.chaos.check;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Interns register values as small ints, so a model state is an int; absent is {@link #ABSENT}. */
final class ValueIds {
  static final int ABSENT = 0;

  private final Map<String, Integer> ids = new HashMap<>();
  private int next = ABSENT + 1;

  int id(@Nullable String value) {
    if (value == null) {
      return ABSENT;
    }
    Integer id = ids.get(value);
    if (id == null) {
      id = next++;
      ids.put(value, id);
    }
    return id;
  }

  /** An id equal to no value's: a register holding some value no operation reads or compares. */
  int fresh() {
    return next++;
  }
}
