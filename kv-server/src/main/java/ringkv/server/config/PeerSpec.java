package ringkv.server.config;

import ringkv.router.NodeId;

/**
 * A node of the cluster as other nodes reach it.
 *
 * @param host address other nodes and clients use for this node
 * @param raftPort the node's Ratis port (all its groups)
 * @param apiPort the node's gRPC API port
 */
public record PeerSpec(NodeId id, String host, int raftPort, int apiPort) {
  public PeerSpec {
    if (host.isBlank()) {
      throw new IllegalArgumentException("peer " + id + ": host must not be blank");
    }
    checkPort("raft port of " + id, raftPort);
    checkPort("api port of " + id, apiPort);
  }

  static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
    }
  }

  /**
   * Parses {@code id=host:raftPort:apiPort}, e.g. {@code n1=127.0.0.1:7001:8001}.
   *
   * @throws IllegalArgumentException naming the malformed entry
   */
  public static PeerSpec parse(String spec) {
    String[] idAndAddress = spec.trim().split("=", 2);
    String[] parts = idAndAddress.length == 2 ? idAndAddress[1].split(":") : new String[0];
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "peer '" + spec + "' must look like id=host:raftPort:apiPort, e.g. n1=127.0.0.1:7001:8001");
    }
    try {
      return new PeerSpec(NodeId.of(idAndAddress[0]), parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer '" + spec + "': ports must be numbers");
    }
  }

  public String raftAddress() {
    return host + ":" + raftPort;
  }

  public String apiEndpoint() {
    return host + ":" + apiPort;
  }

  @Override
  public String toString() {
    return id + "=" + host + ":" + raftPort + ":" + apiPort;
  }
}
