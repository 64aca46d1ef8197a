package ringkv.chaos.proxy;

import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs a {@link ToxiproxyServer} as a process until it is killed:
 * {@code ToxiproxyServerMain [--host 127.0.0.1] [--port 8474] [--seed N]}. Bad flags print one
 * line to stderr and exit with 2; a port that cannot be bound exits with 1.
 */
public final class ToxiproxyServerMain {

  /** The parsed command line. */
  record Options(String host, int port, long seed) {
    Options {
      if (host.isEmpty()) {
        throw new IllegalArgumentException("--host must not be empty");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be in 0..65535: " + port);
      }
    }
  }

  private ToxiproxyServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("toxiproxy: " + e.getMessage());
      System.exit(2);
      return;
    }
    ToxiproxyServer server;
    try {
      server = ToxiproxyServer.start(options.host(), options.port(), options.seed());
    } catch (UncheckedIOException e) {
      System.err.println("toxiproxy: " + e.getMessage() + ": " + e.getCause().getMessage());
      System.exit(1);
      return;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "toxiproxy-shutdown"));
    System.out.println(
        "toxiproxy API listening on " + server.baseUrl() + " seed=" + options.seed());
    stopped.await();
  }

  static Options parse(String[] args) {
    var host = "127.0.0.1";
    var port = 8474;
    var seed = new SplittableRandom().nextLong();
    for (int i = 0; i < args.length; i++) {
      var flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(
            "usage: ToxiproxyServerMain [--host 127.0.0.1] [--port 8474] [--seed N]");
      }
      if (!flag.equals("--host") && !flag.equals("--port") && !flag.equals("--seed")) {
        throw new IllegalArgumentException("unknown flag " + flag);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + flag);
      }
      var value = args[++i];
      switch (flag) {
        case "--host" -> host = value;
        case "--port" -> port = parseNumber(flag, value, Integer::parseInt);
        case "--seed" -> seed = parseNumber(flag, value, Long::parseLong);
        default -> throw new AssertionError(flag);
      }
    }
    return new Options(host, port, seed);
  }

  private static <T> T parseNumber(
      String flag, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number: " + value, e);
    }
  }
}
