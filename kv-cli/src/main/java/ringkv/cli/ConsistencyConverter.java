package ringkv.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import ringkv.client.ReadOptions.Consistency;

/** {@code --consistency linearizable|serializable}, in any case. */
final class ConsistencyConverter extends LowercaseEnumConverter<Consistency> {
  ConsistencyConverter() {
    super(Consistency.class);
  }

  /** The lowercase names, for tab completion in {@code kvctl shell}. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Consistency.values())
          .map(c -> c.name().toLowerCase(Locale.ROOT))
          .iterator();
    }
  }
}
