package ringkv.chaos.proxy;

import java.util.List;
import java.util.Optional;

/**
 * The toxic types toxiproxy-java 2.1.11 knows, with every attribute each one has. The client
 * parses a toxic by {@code valueOf(type.toUpperCase())} and reads each attribute unchecked, so a
 * response must name one of these types and carry all of its attributes.
 */
enum ToxicType {
  LATENCY("latency", List.of("latency", "jitter")),
  BANDWIDTH("bandwidth", List.of("rate")),
  SLOW_CLOSE("slow_close", List.of("delay")),
  TIMEOUT("timeout", List.of("timeout")),
  RESET_PEER("reset_peer", List.of("timeout")),
  SLICER("slicer", List.of("average_size", "size_variation", "delay")),
  LIMIT_DATA("limit_data", List.of("bytes"));

  private final String wireName;
  private final List<String> attributeNames;

  ToxicType(String wireName, List<String> attributeNames) {
    this.wireName = wireName;
    this.attributeNames = attributeNames;
  }

  String wireName() {
    return wireName;
  }

  /** The attribute names in the order they are written to JSON. */
  List<String> attributeNames() {
    return attributeNames;
  }

  static Optional<ToxicType> fromWire(String name) {
    for (var type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
