package ringkv.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Function;
import ringkv.client.KvClient;
import ringkv.client.KvClientConfig;

/**
 * What a kvctl run talks to: its streams, its environment, and how it reaches the cluster. Tests
 * pass fakes; {@link #system} is the real thing.
 *
 * @param env environment variables (only {@code RINGKV_ENDPOINTS} is read)
 * @param clients opens a client; called at most once per command
 * @param health asks endpoints for their gRPC health ({@code kvctl health})
 * @param admin calls a node's Admin service ({@code kvctl cluster ...})
 */
record CliContext(
    PrintStream out,
    PrintStream err,
    InputStream in,
    Map<String, String> env,
    Function<KvClientConfig, KvClient> clients,
    HealthChecker health,
    ClusterAdmin admin) {

  CliContext {
    env = Map.copyOf(env);
  }

  static CliContext system(PrintStream out, PrintStream err, InputStream in) {
    return new CliContext(
        out,
        err,
        in,
        System.getenv(),
        KvClient::connect,
        new GrpcHealthChecker(),
        new GrpcClusterAdmin());
  }
}
