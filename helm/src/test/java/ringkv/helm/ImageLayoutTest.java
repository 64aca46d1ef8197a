package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The programs the chart runs exist in the image: the Dockerfile's final stage (and the Jib
 * profile, the daemon-less build) put them there, from launchers that exist in the repository.
 */
class ImageLayoutTest {
  private static final Pattern OPT_PATH = Pattern.compile("/opt/ringkv/bin/[a-z-]+");

  private final Dockerfile dockerfile = Dockerfile.read(Locations.DOCKERFILE);

  ImageLayoutTest() throws IOException {}

  /** Files the final stage copies from the build context, as image path -> repository path. */
  private List<Path[]> contextCopies() {
    List<Path[]> copies = new ArrayList<>();
    for (Dockerfile.Instruction copy : dockerfile.finalStage().all("COPY")) {
      if (copy.flags().stream().anyMatch(f -> f.startsWith("--from"))) {
        continue;
      }
      List<String> words = copy.words();
      String dest = words.get(words.size() - 1);
      for (String source : words.subList(0, words.size() - 1)) {
        Path repoFile = Locations.REPO_DIR.resolve(source);
        copies.add(new Path[] {Path.of(dest.endsWith("/") ? dest + repoFile.getFileName() : dest), repoFile});
      }
    }
    return copies;
  }

  /**
   * The programs under /opt/ringkv/bin the chart runs: in the start script, the preStop hook and
   * the layout hook Jobs.
   */
  private static List<String> programsTheChartRuns() {
    Manifests chart = Charts.render();
    Container node = chart.node();
    List<String> texts = new ArrayList<>(node.getArgs());
    texts.addAll(node.getLifecycle().getPreStop().getExec().getCommand());
    for (Job job : chart.all(Job.class)) {
      texts.addAll(Manifests.container(job).getCommand());
      texts.addAll(Manifests.container(job).getArgs());
    }
    List<String> programs = new ArrayList<>();
    for (String text : texts) {
      Matcher m = OPT_PATH.matcher(text);
      while (m.find()) {
        programs.add(m.group());
      }
    }
    return programs;
  }

  @Test
  void chartPrograms_areInstalledByTheDockerfileFromExecutableLaunchers() {
    List<String> programs = programsTheChartRuns();
    List<Path[]> copies = contextCopies();

    assertThat(programs).contains("/opt/ringkv/bin/kv-server", "/opt/ringkv/bin/kvctl");
    for (String program : programs) {
      Path[] copy = copies.stream().filter(c -> c[0].equals(Path.of(program))).findFirst()
          .orElseThrow(() -> new AssertionError(program + " is run by the chart but not copied into the image"));
      assertThat(copy[1]).isRegularFile().isExecutable();
    }
    assertThat(dockerfile.finalStage().all("COPY")).anySatisfy(c -> {
      assertThat(c.arguments()).contains("/opt/ringkv/bin/");
      assertThat(c.flags()).contains("--chmod=0755");
    });
  }

  @Test
  void launchers_useTheLibraryFoldersTheImageFills() throws IOException {
    String copies = String.join("\n", dockerfile.finalStage().all("COPY").stream().map(Dockerfile.Instruction::arguments).toList());
    String server = Files.readString(Locations.REPO_DIR.resolve("docker/bin/kv-server"));
    String kvctl = Files.readString(Locations.REPO_DIR.resolve("docker/bin/kvctl"));

    assertThat(server).contains("lib=/opt/ringkv/lib/kv-server", "ringkv.server.main.KvServerMain");
    assertThat(kvctl).contains("lib=/opt/ringkv/lib/kv-cli", "ringkv.cli.KvctlMain");
    assertThat(copies).contains("/opt/ringkv/lib/kv-server/", "/opt/ringkv/lib/kv-cli/");
    // the main classes the launchers name exist
    assertThat(Locations.REPO_DIR.resolve("kv-server/src/main/java/ringkv/server/main/KvServerMain.java")).isRegularFile();
    assertThat(Locations.REPO_DIR.resolve("kv-cli/src/main/java/ringkv/cli/KvctlMain.java")).isRegularFile();
  }

  @Test
  void image_isMultiStageOnASmallJreAndRunsKvServerAsTheChartsUser() {
    Dockerfile.Stage runtime = dockerfile.finalStage();
    long runAsUser = Charts.render().statefulSet().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();

    assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
    // Ubuntu based: the chart's start script needs bash (/dev/tcp) and timeout, the preStop hook sh
    assertThat(runtime.baseImage()).isEqualTo("eclipse-temurin:17-jre");
    assertThat(runtime.all("USER")).singleElement()
        .satisfies(u -> assertThat(u.arguments()).isEqualTo(runAsUser + ":" + runAsUser));
    assertThat(runtime.all("ENTRYPOINT")).singleElement()
        .satisfies(e -> assertThat(e.arguments()).isEqualTo("[\"/opt/ringkv/bin/kv-server\"]"));
  }

  @Test
  void buildStage_copiesOnlyFilesThatExistAndBuildsServerAndCli() {
    Dockerfile.Stage build = dockerfile.stages().get(0);

    for (Dockerfile.Instruction copy : build.all("COPY")) {
      List<String> words = copy.words();
      for (String source : words.subList(0, words.size() - 1)) {
        assertThat(Locations.REPO_DIR.resolve(source)).as("COPY source %s", source).exists();
      }
    }
    assertThat(build.all("RUN")).anySatisfy(r -> assertThat(r.arguments()).contains("package -pl kv-server,kv-cli -am"));
  }

  @Test
  void jibProfile_buildsTheSameLayout() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Locations.REPO_DIR.resolve("kv-server/pom.xml").toFile());
    Element profile = null;
    var profiles = pom.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element p = (Element) profiles.item(i);
      if (text(p, "id").equals("image")) {
        profile = p;
      }
    }
    assertThat(profile).as("kv-server's image profile").isNotNull();
    String config = profile.getTextContent();

    assertThat(text(profile, "entrypoint")).isEqualTo("/opt/ringkv/bin/kv-server");
    assertThat(text(profile, "appRoot")).isEqualTo("/opt/ringkv/lib/kv-server");
    assertThat(text(profile, "user")).isEqualTo("10001:10001");
    assertThat(config).contains("/../docker/bin", "/opt/ringkv/bin", "/opt/ringkv/lib/kv-cli");
    // docker/bin/kv-server must find Jib's layers: dependencies in libs/, the jar in classpath/
    assertThat(Files.readString(Locations.REPO_DIR.resolve("docker/bin/kv-server"))).contains("$lib/libs/*", "$lib/classpath/*");
  }

  private static String text(Element parent, String tag) {
    var nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }
}
