package ringkv.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for nodes that must get the same ports back after a restart: free now, and
 * below the kernel's ephemeral range, so that no outgoing connection (of this or any other
 * process) is given the port while its node is down. Another listener can still take it in
 * between; that is as unlikely as with any free-port helper and shows as a one-line start failure.
 */
final class LoopbackPorts {
  private static final int LOW = 10_000;
  private static final int ATTEMPTS = 200;

  private LoopbackPorts() {}

  /** A free port not in {@code taken}; it is added to {@code taken}. */
  static int pick(Set<Integer> taken) {
    int high = Math.max(LOW + 1_000, Math.min(ephemeralRangeLow(), 32_768));
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, high);
      if (!taken.contains(port) && isFree(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOW + ".." + high + " after " + ATTEMPTS + " attempts");
  }

  private static int ephemeralRangeLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default; other systems start their range higher
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as the node binds it
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
