package ringkv.router;

import java.util.regex.Pattern;

/** The id of a node (one kv-server process), e.g. {@code n1}. Lower-case letters, digits, '-'. */
public record NodeId(String value) implements Comparable<NodeId> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Validates the id against the allowed pattern. */
  public NodeId {
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "node id must match " + VALID.pattern() + " (lower-case letters, digits, '-'), got '"
              + value + "'");
    }
  }

  /** The node id {@code value}. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  /** Orders by the id string. */
  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  /** The id itself. */
  @Override
  public String toString() {
    return value;
  }
}
