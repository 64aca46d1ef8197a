package ringkv.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's bin/ scripts as real processes for the tests in this package. */
final class Processes implements AutoCloseable {
  /** What a finished command printed and returned. */
  record Result(int exitCode, String stdout, String stderr) {
    Result assertOk() {
      assertThat(exitCode).as("exit code; stdout=%s stderr=%s", stdout, stderr).isZero();
      return this;
    }
  }

  private final Path root = findRoot();
  private final Path logs;
  private final List<Process> background = new ArrayList<>();

  Processes(Path logs) {
    this.logs = logs;
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bin/ringkv-local"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("bin/ringkv-local not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  Path root() {
    return root;
  }

  /** Runs {@code bin/<script> args...} to completion. */
  Result run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin").resolve(script).toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(logs, script, ".out");
    Path err = Files.createTempFile(logs, script, ".err");
    Process process = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(script + " " + String.join(" ", args) + " did not finish in " + timeout
          + "; stderr: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Starts {@code bin/<script> args...} in the background; it is stopped by {@link #close()}. */
  Process start(String name, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin").resolve(script).toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile()).start();
    background.add(process);
    return process;
  }

  String log(String name) throws IOException {
    Path file = logs.resolve(name + ".log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Polls until {@code condition} holds, failing after {@code timeout}. */
  static void await(String what, Duration timeout, Check condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Stops background processes: SIGTERM (the node closes cleanly), then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : background) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : background) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
