package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The entry points cannot run here (no cluster), but they must at least parse. */
class ScriptsTest {
  static Stream<Path> scripts() throws IOException {
    try (Stream<Path> helm = Files.list(Locations.HELM_DIR.resolve("bin"));
         Stream<Path> docker = Files.list(Locations.REPO_DIR.resolve("docker/bin"));
         Stream<Path> chart = Files.list(Locations.CHART.resolve("files"))) {
      List<Path> all = new ArrayList<>(helm.toList());
      all.addAll(docker.toList());
      all.addAll(chart.filter(f -> f.toString().endsWith(".sh")).toList());
      return all.stream().sorted();
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void script_parsesWithItsShell(Path script) throws Exception {
    String firstLine = Files.readAllLines(script).get(0);
    // docker/bin and the chart's hook script run in the image's /bin/sh; helm/bin is bash
    String shell = firstLine.endsWith("/sh") ? "sh" : "bash";
    Process p = new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s -n %s: %s", shell, script, out).isZero();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void entryPoint_isExecutableAndSaysWhatItDoes(Path script) throws IOException {
    if (script.getFileName().toString().endsWith(".sh")) {
      return; // sourced, or run by the chart as sh -c
    }
    List<String> lines = Files.readAllLines(script);

    assertThat(script).isExecutable();
    assertThat(lines.get(0)).startsWith("#!");
    assertThat(lines.get(1)).as("a comment saying what %s does", script.getFileName()).startsWith("# ");
  }
}
