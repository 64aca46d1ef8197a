package ringkv.chaos.proxy;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One toxic as the API sees it. {@code attributes} holds exactly the attributes of {@code type}
 * (times in ms, except the slicer's {@code delay} in µs; {@code rate} in KB/s).
 */
record ToxicSpec(
    String name,
    ToxicType type,
    StreamDirection stream,
    double toxicity,
    Map<String, Long> attributes) {

  ToxicSpec {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(stream, "stream");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (!Double.isFinite(toxicity)) {
      throw new IllegalArgumentException("toxicity must be finite: " + toxicity);
    }
    attributes = Map.copyOf(attributes);
    if (!attributes.keySet().equals(Set.copyOf(type.attributeNames()))) {
      throw new IllegalArgumentException(
          "attributes of " + type.wireName() + " must be " + type.attributeNames() + ": "
              + attributes.keySet());
    }
  }

  /**
   * A spec from what a client sent: attributes it left out are 0 and unknown ones are ignored,
   * as Go's JSON decoding into the toxic's struct does in real Toxiproxy.
   */
  static ToxicSpec of(
      String name,
      ToxicType type,
      StreamDirection stream,
      double toxicity,
      Map<String, Long> given) {
    var attributes = new HashMap<String, Long>();
    for (var attribute : type.attributeNames()) {
      attributes.put(attribute, given.getOrDefault(attribute, 0L));
    }
    return new ToxicSpec(name, type, stream, toxicity, attributes);
  }

  /** A copy with {@code changes} merged into the attributes; unknown names are ignored. */
  ToxicSpec withAttributes(Map<String, Long> changes) {
    var merged = new HashMap<>(attributes);
    for (var change : changes.entrySet()) {
      if (merged.containsKey(change.getKey())) {
        merged.put(change.getKey(), change.getValue());
      }
    }
    return new ToxicSpec(name, type, stream, toxicity, merged);
  }

  ToxicSpec withToxicity(double newToxicity) {
    return new ToxicSpec(name, type, stream, newToxicity, attributes);
  }

  long attribute(String attribute) {
    var value = attributes.get(attribute);
    if (value == null) {
      throw new IllegalArgumentException(type.wireName() + " has no attribute " + attribute);
    }
    return value;
  }
}
