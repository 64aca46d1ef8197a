package ringkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs kvctl in-process against a {@link FakeCluster}, fake health answers, a {@link FakeAdmin} and
 * {@link FakeMetrics} on a {@link FakePacer}; captures output.
 */
final class Kvctl {
  final FakeCluster cluster = new FakeCluster();
  final FakeAdmin admin = new FakeAdmin();
  final FakeMetrics metrics = new FakeMetrics();
  final FakePacer pacer = new FakePacer();
  boolean terminal;
  final Map<String, String> env = new HashMap<>();
  final Map<String, String> healthStates = new HashMap<>();
  final List<Duration> healthTimeouts = new ArrayList<>();

  Run run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  Run runWithStdin(byte[] stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var context =
        context(stdin, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    int code = KvctlMain.run(context, args);
    return new Run(code, out.toByteArray(), err.toString(UTF_8));
  }

  /** A context on this fake cluster whose output goes nowhere. */
  CliContext context(byte[] stdin) {
    return context(stdin, new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
  }

  CliContext context(byte[] stdin, PrintStream out) {
    return context(stdin, out, new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
  }

  CliContext context(byte[] stdin, PrintStream out, PrintStream err) {
    HealthChecker health =
        (endpoints, timeout) -> {
          healthTimeouts.add(timeout);
          return endpoints.stream()
              .map(e -> new EndpointHealth(e, healthStates.getOrDefault(e, "SERVING"), ""))
              .toList();
        };
    return new CliContext(
            out, err, new ByteArrayInputStream(stdin), env, cluster::open, health, admin, terminal)
        .withMetrics(metrics, pacer);
  }

  record Run(int exitCode, byte[] outBytes, String err) {
    String out() {
      return new String(outBytes, UTF_8);
    }

    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }
}
