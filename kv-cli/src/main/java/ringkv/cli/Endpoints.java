package ringkv.cli;

import java.util.ArrayList;
import java.util.List;

/** Parses and checks endpoint lists: comma-separated {@code host:port}, IPv6 hosts in brackets. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Splits {@code text} on commas and checks each {@code host:port}.
   *
   * @param origin where the text came from, for the message ({@code --endpoints} or an env var)
   * @throws UsageException naming the origin and the bad entry
   */
  public static List<String> parse(String text, String origin) {
    List<String> endpoints = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String endpoint = part.trim();
      String problem = problem(endpoint);
      if (problem != null) {
        throw new UsageException(
            "invalid "
                + origin
                + " '"
                + text
                + "': "
                + problem
                + " (expected host:port[,host:port...])");
      }
      endpoints.add(endpoint);
    }
    return List.copyOf(endpoints);
  }

  /** The host part, without IPv6 brackets. */
  public static String host(String endpoint) {
    String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  public static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  private static @org.jspecify.annotations.Nullable String problem(String endpoint) {
    if (endpoint.isEmpty()) {
      return "empty entry";
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      return "'" + endpoint + "' has no port";
    }
    String host = endpoint.substring(0, colon);
    String port = endpoint.substring(colon + 1);
    if (host.isEmpty()) {
      return "'" + endpoint + "' has no host";
    }
    if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
      return "'" + endpoint + "': write an IPv6 host in brackets, e.g. [::1]:8001";
    }
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "'" + endpoint + "' has no valid port";
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      return "'" + endpoint + "': port must be 1-65535";
    }
    return null;
  }
}
