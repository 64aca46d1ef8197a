package ringkv.chaos.proxy;

import java.util.Optional;

/** Which bytes of a proxied connection a toxic acts on, named as on the Toxiproxy wire. */
enum StreamDirection {
  /** Client to upstream server. */
  UPSTREAM("upstream"),
  /** Upstream server to client. */
  DOWNSTREAM("downstream");

  private final String wireName;

  StreamDirection(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  static Optional<StreamDirection> fromWire(String name) {
    for (var direction : values()) {
      if (direction.wireName.equals(name)) {
        return Optional.of(direction);
      }
    }
    return Optional.empty();
  }
}
