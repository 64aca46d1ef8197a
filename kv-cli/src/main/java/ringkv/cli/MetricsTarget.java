package ringkv.cli;

import java.net.URI;
import ringkv.api.v1.NodeInfo;

/**
 * Where {@code kvctl top} reads a node's metrics: {@code http://host:admin-port/metrics}.
 *
 * @param nodeId the node's id in the cluster map
 * @param host the node's host from the map (an IPv6 address without brackets)
 * @param port the node's admin HTTP port
 */
record MetricsTarget(String nodeId, String host, int port) {
  /** A node's admin port when the map does not give one: its API port plus this. */
  static final int ADMIN_PORT_OFFSET = 1000;

  MetricsTarget {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
  }

  /** The target of a node of the cluster map. */
  static MetricsTarget of(NodeInfo node) {
    return new MetricsTarget(node.getId(), node.getHost(), adminPort(node));
  }

  /**
   * The node's {@code admin_port} from the map, or, when that is 0 (a node that registered before
   * the map recorded admin ports), its API port plus {@value #ADMIN_PORT_OFFSET}, the server's
   * default.
   */
  static int adminPort(NodeInfo node) {
    return node.getAdminPort() != 0 ? node.getAdminPort() : node.getApiPort() + ADMIN_PORT_OFFSET;
  }

  /** {@code host:port}, an IPv6 host in brackets. */
  String address() {
    return ClusterStatusReport.address(host, port);
  }

  URI url() {
    return URI.create("http://" + address() + "/metrics");
  }
}
