package ringkv.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How every link of a chaos cluster gets its own proxy without any change to the server.
 *
 * <p>Each node advertises a host name ({@code n1.chaos}) instead of an address. Every JVM, the
 * nodes' and the harness's, resolves those names through its own hosts file
 * ({@code -Djdk.net.hosts.file}), and the files differ: in node 2's file, {@code n3.chaos} is
 * {@code 127.77.2.3}, where the proxy of the link n2 -> n3 listens on n3's own port numbers; in the
 * harness's file it is {@code 127.77.0.3}, the client link to n3. Linux routes all of 127/8 to
 * the loopback device, so these addresses need no setup, and since every node binds 127.0.0.1
 * only, the proxies can listen on the same port numbers at the other addresses. A node resolves
 * its own name to 127.0.0.1: talking to itself is not a link.
 */
public final class LinkAddresses {
  /** Source number of the harness's own clients; nodes are 1..N. */
  public static final int CLIENTS = 0;
  private static final String DOMAIN = ".chaos";
  private static final int MAX_NODES = 250;

  private LinkAddresses() {}

  /** The host name node {@code nodeId} advertises. */
  public static String hostName(String nodeId) {
    return nodeId + DOMAIN;
  }

  /**
   * Where the proxy of the link from {@code source} ({@link #CLIENTS} or a node number, 1-based)
   * to node number {@code target} listens.
   */
  public static String address(int source, int target) {
    if (source < 0 || source > MAX_NODES || target < 1 || target > MAX_NODES) {
      throw new IllegalArgumentException("link " + source + " -> " + target + " out of range 0..." + MAX_NODES);
    }
    return "127.77." + source + "." + target;
  }

  /**
   * Writes the hosts file of {@code source}: every node's name resolves to that source's link
   * towards it (or 127.0.0.1 for the node itself). Also names localhost and this machine, which
   * libraries look up at start.
   */
  public static void writeHostsFile(Path file, int source, java.util.List<String> nodeIds) {
    StringBuilder text = new StringBuilder("# written by the RingKV chaos harness for source ").append(source).append('\n');
    text.append("127.0.0.1 localhost\n");
    text.append("127.0.0.1 ").append(machineName()).append('\n');
    for (int i = 0; i < nodeIds.size(); i++) {
      int target = i + 1;
      text.append(target == source ? "127.0.0.1" : address(source, target)).append(' ')
          .append(hostName(nodeIds.get(i))).append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      // readers see the old or the new file, never half of one
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write hosts file " + file, e);
    }
  }

  /** This machine's host name, read from the kernel (a lookup would need the hosts file itself). */
  private static String machineName() {
    try {
      Path name = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(name)) {
        return Files.readString(name).trim();
      }
    } catch (IOException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "localhost" : env;
  }
}
