package ringkv.cli;

import static picocli.CommandLine.ScopeType.INHERIT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import ringkv.client.KvClientConfig;

/**
 * Options every command accepts, before or after the command name ({@code kvctl --hex get k} and
 * {@code kvctl get --hex k} are the same). Mixed into the root command; picocli's inherited scope
 * copies them to each subcommand and stores the values here.
 */
public final class GlobalOptions {
  /** Environment variable that gives the endpoints when {@code --endpoints} is absent. */
  public static final String ENDPOINTS_ENV = "RINGKV_ENDPOINTS";

  /** Endpoints when neither {@code --endpoints} nor {@value #ENDPOINTS_ENV} is set. */
  public static final String DEFAULT_ENDPOINTS = "127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003";

  /** Longest time one attempt on one node may take before the client tries another node. */
  static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  @Option(
      names = "--endpoints",
      paramLabel = "HOST:PORT[,...]",
      scope = INHERIT,
      description = {
        "gRPC API addresses of some nodes, comma-separated. Default: $" + ENDPOINTS_ENV + ", else",
        DEFAULT_ENDPOINTS + "."
      })
  private @Nullable String endpoints;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      scope = INHERIT,
      description =
          "Deadline of the whole command, retries included (500ms, 10s, 2m, 1m30s). Default:"
              + " ${DEFAULT-VALUE}.")
  private Duration timeout = Duration.ofSeconds(10);

  @Option(
      names = "--hex",
      scope = INHERIT,
      description = "KEY and VALUE arguments are hex; raw, text and table output print hex.")
  private boolean hex;

  @Option(
      names = "--verbose",
      scope = INHERIT,
      description = "Print the stack trace of an error, and client debug logs, on standard error.")
  private boolean verbose;

  public boolean hex() {
    return hex;
  }

  public boolean verbose() {
    return verbose;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * The endpoints: {@code --endpoints}, else {@value #ENDPOINTS_ENV} from {@code env} when set and
   * not blank, else {@value #DEFAULT_ENDPOINTS}.
   *
   * @throws UsageException when the chosen list is malformed
   */
  public List<String> endpoints(Map<String, String> env) {
    if (endpoints != null) {
      return Endpoints.parse(endpoints, "--endpoints");
    }
    String fromEnv = env.get(ENDPOINTS_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Endpoints.parse(fromEnv, ENDPOINTS_ENV);
    }
    return Endpoints.parse(DEFAULT_ENDPOINTS, "default endpoints");
  }

  /** The client configuration these options describe. */
  public KvClientConfig clientConfig(Map<String, String> env) {
    List<String> list = endpoints(env);
    Duration attempt = timeout.compareTo(MAX_ATTEMPT_TIMEOUT) < 0 ? timeout : MAX_ATTEMPT_TIMEOUT;
    try {
      return KvClientConfig.builder()
          .endpoints(list)
          .callTimeout(timeout)
          .attemptTimeout(attempt)
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
  }
}
