package ringkv.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One {@code kv-server} JVM of a {@link ProcessCluster}: its fixed identity (node id, ports, data
 * directory, log file) and the process currently running it, if any.
 *
 * <p>The first start passes {@code firstStartArgs} (bootstrap or join); later starts pass only
 * the identity flags, as an operator restarting a node would: the node finds its saved cluster
 * map in its data directory and rejoins. Every incarnation appends to the same log file, after a
 * marker line, so one file tells the node's whole story.
 *
 * <p>Not thread-safe: the test thread drives it; only the cluster's JVM shutdown hook calls
 * {@link #sendKill()} from another thread.
 */
public final class ServerProcess {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
  /** Exit status Java reports for a process ended by SIGKILL: 128 + 9. */
  static final int SIGKILL_EXIT_STATUS = 137;
  /** Exit status Java reports for a process that exited on SIGTERM: 128 + 15. */
  static final int SIGTERM_EXIT_STATUS = 143;

  private final int index;
  private final String nodeId;
  private final int raftPort;
  private final int apiPort;
  private final int adminPort;
  private final Path dataDir;
  private final Path logFile;
  private final List<String> javaCommand;
  private final List<String> identityArgs;
  private final List<String> firstStartArgs;
  private Process process;
  private int starts;
  /** Replaces the {@code -cp} value of the next starts (a node upgraded to another build); null = as built. */
  private String classpathOverride;

  ServerProcess(int index, String nodeId, int raftPort, int apiPort, int adminPort, Path dataDir, Path logFile,
      List<String> javaCommand, List<String> identityArgs, List<String> firstStartArgs) {
    this.index = index;
    this.nodeId = nodeId;
    this.raftPort = raftPort;
    this.apiPort = apiPort;
    this.adminPort = adminPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.javaCommand = List.copyOf(javaCommand);
    this.identityArgs = List.copyOf(identityArgs);
    this.firstStartArgs = List.copyOf(firstStartArgs);
  }

  public int index() {
    return index;
  }

  public String nodeId() {
    return nodeId;
  }

  public int raftPort() {
    return raftPort;
  }

  public int apiPort() {
    return apiPort;
  }

  public String apiEndpoint() {
    return "127.0.0.1:" + apiPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** Base URL of the admin HTTP server: /metrics, /healthz, /readyz. */
  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** How many times this node was started (1 after the first start). */
  public int starts() {
    return starts;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** True when the node was started and has not been killed, whether or not it is still alive. */
  boolean isExpectedRunning() {
    return process != null;
  }

  /** The current process id; fails when the node is not running. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException(nodeId + " is not running");
    }
    return process.pid();
  }

  /** Exit status of a node that should be running but is not, for failure messages. */
  String unexpectedExit() {
    return process != null && !process.isAlive() ? nodeId + " exited with status " + process.exitValue() : "";
  }

  /** The full command line of the next start. */
  private List<String> command() {
    List<String> command = new ArrayList<>(javaCommand);
    int classpath = command.indexOf("-cp") + 1;
    if (classpathOverride != null && classpath > 0) {
      command.set(classpath, classpathOverride);
    }
    command.addAll(identityArgs);
    if (starts == 0) {
      command.addAll(firstStartArgs);
    }
    return command;
  }

  void start() {
    if (process != null) {
      throw new IllegalStateException(nodeId + " is already running (pid " + process.pid() + ")");
    }
    List<String> command = command();
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, "==== " + Instant.now() + " start #" + (starts + 1) + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      // Hermetic: settings come from the flags only, never from the environment of the build.
      builder.environment().keySet().removeIf(name -> name.startsWith("RINGKV_"));
      process = builder.start();
      starts++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + nodeId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends SIGKILL ({@link Process#destroyForcibly()}, which is {@code kill -9} on Linux and macOS)
   * without waiting. Returns false when there was no live process to kill.
   */
  boolean sendKill() {
    if (process == null || !process.isAlive()) {
      return false;
    }
    process.destroyForcibly();
    return true;
  }

  /**
   * Waits for the process signalled by {@link #sendKill()} to be gone and checks that SIGKILL, not
   * a clean shutdown, ended it. A node that had died on its own before the kill fails the test,
   * with its log.
   */
  void awaitKilled(boolean signalled) {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    try {
      if (!p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(nodeId + " (pid " + p.pid() + ") still alive " + EXIT_WAIT + " after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + nodeId + " to die", e);
    }
    if (!signalled) {
      throw new AssertionError(nodeId + " had already exited with status " + p.exitValue() + " before it was killed; log "
          + logFile + ":\n" + tail(40));
    }
    if (!isWindows() && p.exitValue() != SIGKILL_EXIT_STATUS) {
      throw new AssertionError(nodeId + " exited with status " + p.exitValue() + ", not " + SIGKILL_EXIT_STATUS
          + " (SIGKILL); log " + logFile);
    }
  }

  /** Sends signal {@code name} (STOP, CONT, ...) to the running process and waits until it is sent. */
  void signal(String name) {
    long pid = pid();
    try {
      // the shell's own kill: a minimal Debian has no /bin/kill (procps)
      Process kill = new ProcessBuilder("sh", "-c", "kill -" + name + " " + pid).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " (" + nodeId + ") failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + name + " for " + nodeId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending " + name + " to " + nodeId, e);
    }
  }

  /** Makes the next starts use {@code classpath} instead of the cluster's (an upgrade to another build). */
  void useClasspath(String classpath) {
    this.classpathOverride = classpath;
  }

  /**
   * Stops the node as an operator or Kubernetes does: SIGTERM ({@link Process#destroy()}), which
   * runs kv-server's shutdown hook (drain, then close). Waits until the process is gone and checks
   * that it ended by that signal or exited cleanly, not by a crash.
   */
  void terminate(Duration timeout) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new AssertionError(nodeId + " is not running" + (p == null ? "" : " (exited with " + p.exitValue() + ")"));
    }
    p.destroy();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(nodeId + " (pid " + p.pid() + ") still alive " + timeout + " after SIGTERM; log " + logFile);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + nodeId + " to stop", e);
    }
    process = null;
    // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal
    if (!isWindows() && p.exitValue() != SIGTERM_EXIT_STATUS && p.exitValue() != 0) {
      throw new AssertionError(nodeId + " exited with status " + p.exitValue() + " after SIGTERM; log " + logFile
          + ":\n" + tail(40));
    }
  }

  /** Kills the node with SIGKILL and waits until the process is gone. */
  void kill() {
    awaitKilled(sendKill());
  }

  /** Last {@code lines} lines of the log file, for failure messages. */
  public String tail(int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log yet)";
      }
      List<String> all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  @Override
  public String toString() {
    return nodeId + (isRunning() ? " (pid " + process.pid() + ")" : " (down)") + " api=" + apiEndpoint() + " raft=127.0.0.1:"
        + raftPort + " admin=" + adminUrl() + " log=" + logFile;
  }
}
