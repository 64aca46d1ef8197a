package ringkv.chaos.proxy;

import static java.util.Objects.requireNonNull;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A {@code host:port} address as Go's net package writes it ({@code [::1]:80} for IPv6). An empty
 * host means every interface when listening, as in Go.
 */
record HostPort(String host, int port) {

  HostPort {
    requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
  }

  static HostPort parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address must be host:port: " + address);
    }
    var host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address has a bad port: " + address, e);
    }
  }

  static HostPort of(InetSocketAddress address) {
    var host =
        address.getAddress() instanceof Inet6Address
            ? address.getAddress().getHostAddress().replaceFirst("%.*$", "")
            : address.getAddress().getHostAddress();
    return new HostPort(host, address.getPort());
  }

  /** The socket address to bind or dial; resolves the host name. */
  InetSocketAddress toSocketAddress() {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
