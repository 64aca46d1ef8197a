package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.server.main.KvServerMain;
import ringkv.server.testing.MiniCluster;

/** A real kv-server process that cannot start says why in one line and exits non-zero. */
class NodeStartFailureIT {
  @TempDir Path dir;

  record Outcome(int exitCode, List<String> stderr) {}

  private Outcome runServer(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), KvServerMain.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exits").isTrue();
    return new Outcome(process.exitValue(), stderr.lines().filter(l -> !l.isBlank()).toList());
  }

  private static void assertOneLineError(Outcome outcome, String... parts) {
    assertThat(outcome.exitCode()).isNotZero();
    assertThat(outcome.stderr()).as("stderr").hasSize(1);
    assertThat(outcome.stderr().get(0)).startsWith("kv-server: error: ").contains(parts);
  }

  @Test
  void apiPortInUse_exitsWithOneLineNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Outcome outcome = runServer("--bootstrap", "--data-dir", dir.resolve("n1").toString(),
          "--raft-port", String.valueOf(MiniCluster.freePort()), "--api-port", String.valueOf(taken.getLocalPort()));
      assertOneLineError(outcome, "API port " + taken.getLocalPort(), "already in use");
    }
  }

  @Test
  void raftPortInUse_exitsWithOneLineNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Outcome outcome = runServer("--bootstrap", "--data-dir", dir.resolve("n1").toString(),
          "--raft-port", String.valueOf(taken.getLocalPort()), "--api-port", String.valueOf(MiniCluster.freePort()));
      assertOneLineError(outcome, "Raft port " + taken.getLocalPort(), "already in use");
    }
  }

  @Test
  void dataDirNotWritable_exitsWithOneLineNamingTheDir() throws Exception {
    // Root may write anywhere, so make the data dir impossible: its parent is a regular file.
    File blocker = dir.resolve("blocker").toFile();
    Files.writeString(blocker.toPath(), "not a directory");
    String dataDir = blocker.toPath().resolve("n1").toString();
    Outcome outcome = runServer("--bootstrap", "--data-dir", dataDir,
        "--raft-port", String.valueOf(MiniCluster.freePort()), "--api-port", String.valueOf(MiniCluster.freePort()));
    assertOneLineError(outcome, "data dir " + dataDir);
  }

  @Test
  void badFlag_exitsWithOneLine() throws Exception {
    Outcome outcome = runServer("--bootstrap", "--raft-port", "notaport");
    assertOneLineError(outcome, "raft-port", "notaport");
  }

  @Test
  void bootstrapWithZeroShards_isRefusedBeforeAnythingIsCreated() throws Exception {
    Path dataDir = dir.resolve("zero");
    Outcome outcome = runServer("--bootstrap", "--shards", "0", "--data-dir", dataDir.toString(),
        "--raft-port", String.valueOf(MiniCluster.freePort()), "--api-port", String.valueOf(MiniCluster.freePort()));
    assertOneLineError(outcome, "--shards must be >= 1, got 0");
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void noBootstrapNoJoinNoSavedMap_explainsWhatToDo() throws Exception {
    Outcome outcome = runServer("--data-dir", dir.resolve("lost").toString(),
        "--raft-port", String.valueOf(MiniCluster.freePort()), "--api-port", String.valueOf(MiniCluster.freePort()));
    assertOneLineError(outcome, "--bootstrap", "--join");
  }
}
