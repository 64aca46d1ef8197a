package ringkv.chaos.cluster;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The proxies of a chaos cluster, one per link (see {@link LinkAddresses}), and the network
 * faults made of them. Every fault here is undone by {@link #heal()}, which is Toxiproxy's
 * {@code /reset}: all proxies enabled, all toxics removed.
 */
public final class ChaosNetwork {
  private final ToxiproxyClient toxiproxy;
  private final Map<Link, Proxy> proxies = new LinkedHashMap<>();

  private ChaosNetwork(ToxiproxyClient toxiproxy) {
    this.toxiproxy = toxiproxy;
  }

  /**
   * Creates the proxies for {@code nodes} (node number i+1 listens on {@code raftPorts[i]} and
   * {@code apiPorts[i]} at 127.0.0.1): node to node, both ports, and clients to every API port.
   * Proxies of the same names left by an earlier run on the same Toxiproxy are replaced.
   */
  public static ChaosNetwork create(ToxiproxyClient toxiproxy, int[] raftPorts, int[] apiPorts) {
    ChaosNetwork network = new ChaosNetwork(toxiproxy);
    int n = raftPorts.length;
    try {
      for (int to = 1; to <= n; to++) {
        for (int from = 0; from <= n; from++) {
          if (from == to) {
            continue;
          }
          network.add(new Link(from, to, Link.Port.API), apiPorts[to - 1]);
          if (from != LinkAddresses.CLIENTS) {
            network.add(new Link(from, to, Link.Port.RAFT), raftPorts[to - 1]);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the chaos proxies: " + e.getMessage(), e);
    }
    return network;
  }

  private void add(Link link, int port) throws IOException {
    Proxy stale = toxiproxy.getProxyOrNull(link.proxyName());
    if (stale != null) {
      stale.delete();
    }
    String listen = LinkAddresses.address(link.from(), link.to()) + ":" + port;
    proxies.put(link, toxiproxy.createProxy(link.proxyName(), listen, "127.0.0.1:" + port));
  }

  public List<Link> links() {
    return List.copyOf(proxies.keySet());
  }

  /**
   * Cuts every node-to-node link between different sides (both directions, both ports): a
   * network partition. Clients still reach every node, as in Jepsen, so a client may talk to the
   * minority side and must be refused there, not served stale data.
   */
  public void partition(Collection<Set<Integer>> sides) {
    forEach(link -> !link.fromClients() && side(sides, link.from()) != side(sides, link.to()), Proxy::disable);
  }

  /** Cuts every client link: the nodes still reach each other, no client reaches any node. */
  public void cutClients() {
    forEach(Link::fromClients, Proxy::disable);
  }

  /** Cuts the links between node {@code node} and every other node; clients still reach it. */
  public void isolate(int node, int nodeCount) {
    Set<Integer> rest = new java.util.TreeSet<>();
    for (int i = 1; i <= nodeCount; i++) {
      if (i != node) {
        rest.add(i);
      }
    }
    partition(List.of(Set.of(node), rest));
  }

  /**
   * Drops every byte node {@code from} sends to node {@code to}, while {@code to}'s bytes still
   * reach {@code from}: the connections stay open and silently lose one direction.
   */
  public void dropOneWay(int from, int to) {
    forEach(link -> link.from() == from && link.to() == to,
        proxy -> proxy.toxics().timeout("one-way-loss", ToxicDirection.UPSTREAM, 0));
    forEach(link -> link.from() == to && link.to() == from,
        proxy -> proxy.toxics().timeout("one-way-loss", ToxicDirection.DOWNSTREAM, 0));
  }

  /** Delays every chunk on every node-to-node link, both directions, by latency ± jitter ms. */
  public void latency(long latencyMillis, long jitterMillis) {
    forEach(link -> !link.fromClients(), proxy -> {
      for (ToxicDirection direction : ToxicDirection.values()) {
        proxy.toxics().latency("latency-" + direction.name().toLowerCase(java.util.Locale.ROOT), direction, latencyMillis)
            .setJitter(jitterMillis);
      }
    });
  }

  /** Limits every node-to-node link, both directions, to {@code kilobytesPerSecond}. */
  public void bandwidth(long kilobytesPerSecond) {
    forEach(link -> !link.fromClients(), proxy -> {
      for (ToxicDirection direction : ToxicDirection.values()) {
        proxy.toxics().bandwidth("bandwidth-" + direction.name().toLowerCase(java.util.Locale.ROOT), direction, kilobytesPerSecond);
      }
    });
  }

  /**
   * Resets (TCP RST) a fraction {@code toxicity} of the connections on every link, clients'
   * included, at their first bytes: connections die mid-request and are dialled again.
   */
  public void resetConnections(float toxicity) {
    forEach(link -> true, proxy -> proxy.toxics().resetPeer("reset-peer", ToxicDirection.UPSTREAM, 0).setToxicity(toxicity));
  }

  /** Undoes every fault: all proxies enabled, no toxics. */
  public void heal() {
    try {
      toxiproxy.reset();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset the chaos proxies: " + e.getMessage(), e);
    }
  }

  /** Deletes the proxies (the Toxiproxy server itself stays). */
  public void delete() {
    List<IOException> failures = new ArrayList<>();
    for (Proxy proxy : proxies.values()) {
      try {
        proxy.delete();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    proxies.clear();
    if (!failures.isEmpty()) {
      throw new UncheckedIOException("cannot delete " + failures.size() + " chaos proxies", failures.get(0));
    }
  }

  private static int side(Collection<Set<Integer>> sides, int node) {
    int i = 0;
    for (Set<Integer> side : sides) {
      if (side.contains(node)) {
        return i;
      }
      i++;
    }
    return -1 - node; // a node in no side is cut from everyone
  }

  private interface ProxyAction {
    void apply(Proxy proxy) throws IOException;
  }

  private void forEach(Predicate<Link> which, ProxyAction action) {
    for (Map.Entry<Link, Proxy> e : proxies.entrySet()) {
      if (which.test(e.getKey())) {
        try {
          action.apply(e.getValue());
        } catch (IOException ex) {
          throw new UncheckedIOException("chaos proxy " + e.getKey().proxyName() + ": " + ex.getMessage(), ex);
        }
      }
    }
  }
}
