package ringkv.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * What a kvctl run talks to: its streams, its environment, and how it reaches the cluster. Tests
 * pass fakes; {@link #system} is the real thing.
 *
 * @param env environment variables (only {@code RINGKV_ENDPOINTS} is read)
 * @param clients opens a client; called at most once per command (once per shell, in {@code kvctl
 *     shell})
 * @param health asks endpoints for their gRPC health ({@code kvctl health})
 * @param admin calls a node's Admin service ({@code kvctl cluster ...})
 * @param terminal standard input and output are a terminal: {@code kvctl shell} then edits lines
 *     with JLine (prompt, history, completion), {@code kvctl top} redraws the screen; otherwise
 *     the shell reads plain lines from {@code in} and top prints one block per refresh
 * @param metrics fetches nodes' Prometheus metrics ({@code kvctl top})
 * @param pacer the clock and sleeps of {@code kvctl top} and of the waits of {@code kvctl shard
 *     add} and {@code kvctl shard remove}
 */
record CliContext(
    PrintStream out,
    PrintStream err,
    InputStream in,
    Map<String, String> env,
    Function<KvClientConfig, KvClient> clients,
    HealthChecker health,
    ClusterAdmin admin,
    boolean terminal,
    MetricsSource metrics,
    Pacer pacer) {

  CliContext {
    env = Map.copyOf(env);
  }

  /** A context whose {@code kvctl top} scrapes over HTTP on the system clock. */
  CliContext(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Function<KvClientConfig, KvClient> clients,
      HealthChecker health,
      ClusterAdmin admin,
      boolean terminal) {
    this(
        out, err, in, env, clients, health, admin, terminal, new HttpMetricsSource(), Pacer.system());
  }

  /** A context whose streams are not a terminal, as in tests and pipes. */
  CliContext(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Function<KvClientConfig, KvClient> clients,
      HealthChecker health,
      ClusterAdmin admin) {
    this(out, err, in, env, clients, health, admin, false);
  }

  /** This context with other metrics and pacer ({@code kvctl top}). */
  CliContext withMetrics(MetricsSource metrics, Pacer pacer) {
    return new CliContext(out, err, in, env, clients, health, admin, terminal, metrics, pacer);
  }

  static CliContext system(PrintStream out, PrintStream err, InputStream in) {
    return new CliContext(
        out,
        err,
        in,
        System.getenv(),
        KvClient::connect,
        new GrpcHealthChecker(),
        new GrpcClusterAdmin(),
        in == System.in && out == System.out && isTerminal(System.console()));
  }

  /**
   * Whether the JVM's standard input and output are a terminal. Up to Java 21 {@link
   * System#console()} is non-null only then; from Java 22 it may be non-null anyway, and {@code
   * Console.isTerminal()} tells.
   */
  private static boolean isTerminal(@Nullable Console console) {
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
