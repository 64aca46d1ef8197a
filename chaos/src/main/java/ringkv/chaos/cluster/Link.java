package ringkv.chaos.cluster;

/**
 * One proxied connection path: from a source ({@link LinkAddresses#CLIENTS} or node number
 * 1..N) to a port of node number {@code to}. Connections are opened by {@code from}, so for a TCP
 * proxy "upstream" bytes flow from {@code from} to {@code to} and "downstream" bytes back.
 */
public record Link(int from, int to, Port port) {
  /** Which server of the target node the link reaches. */
  public enum Port { RAFT, API }

  public Link {
    if (from < 0 || to < 1 || from == to) {
      throw new IllegalArgumentException("link " + from + " -> " + to + " is not a link between two parties");
    }
  }

  public boolean fromClients() {
    return from == LinkAddresses.CLIENTS;
  }

  /**
   * The Toxiproxy proxy name, e.g. {@code n1_to_n3_raft} or {@code clients_to_n2_api}: letters,
   * digits and underscores only, since toxiproxy-java puts names into URL paths unescaped.
   */
  public String proxyName() {
    return (fromClients() ? "clients" : "n" + from) + "_to_n" + to + "_" + port.name().toLowerCase(java.util.Locale.ROOT);
  }
}
