package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ringkv.server.config.ConfigLoader;

/**
 * Every release of helmfile.yaml renders in every environment, as `helmfile -e ENV template`
 * would: no helmfile binary exists here, so this reads the file and hands each release's values
 * files and --set values to helm-java itself.
 */
class HelmfileReleasesTest {
  /** The only template helmfile.yaml uses: it passes the environment's values to the chart. */
  private static final String ENVIRONMENT_PASSTHROUGH = "values/environment.yaml.gotmpl";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path scratch;

  /** helmfile.yaml's parts (separated by ---) merged into one tree. */
  static ObjectNode helmfile() throws IOException {
    ObjectNode merged = YAML.createObjectNode();
    try (var parts = YAML.readerFor(JsonNode.class).readValues(Locations.HELMFILE.toFile())) {
      while (parts.hasNext()) {
        JsonNode part = (JsonNode) parts.next();
        if (part != null && part.isObject()) {
          merged.setAll((ObjectNode) part);
        }
      }
    }
    return merged;
  }

  @Test
  void environments_minikubeIsTheDefaultAndProductionExists() throws IOException {
    JsonNode environments = helmfile().get("environments");

    assertThat(environments.fieldNames()).toIterable().containsExactlyInAnyOrder("default", "minikube", "production");
    assertThat(environments.get("default")).isEqualTo(environments.get("minikube"));
  }

  @Test
  void environmentPassthrough_isTheOnlyTemplateAndOnlyPassesValues() throws IOException {
    String template = Files.readString(Locations.HELM_DIR.resolve(ENVIRONMENT_PASSTHROUGH));

    assertThat(template.lines().filter(l -> !l.startsWith("{{/*")).toList())
        .containsExactly("{{ .Environment.Values | toYaml }}");
    assertThat(Files.readString(Locations.HELMFILE)).doesNotContain("{{");
  }

  @Test
  void everyRelease_rendersInEveryEnvironment() throws Exception {
    ObjectNode helmfile = helmfile();
    List<String> rendered = new ArrayList<>();
    for (var env : (Iterable<java.util.Map.Entry<String, JsonNode>>) helmfile.get("environments")::fields) {
      for (JsonNode release : helmfile.get("releases")) {
        Manifests m = Charts.strictlyParsed(Charts.template(
            Locations.HELM_DIR.resolve(release.get("chart").asText()).normalize(),
            release.get("name").asText(), release.get("namespace").asText(),
            t -> withReleaseValues(t, release, env.getValue())));

        assertThat(m.statefulSet().getSpec().getReplicas()).isPositive();
        // the settings of the first two pods are ones kv-server accepts
        for (int ordinal = 0; ordinal < Math.min(2, m.statefulSet().getSpec().getReplicas()); ordinal++) {
          PodStart start = PodStart.of(m, m.statefulSet().getMetadata().getName() + "-" + ordinal, scratch);
          ConfigLoader.load(null, start.env(), start.flags());
        }
        rendered.add(env.getKey() + "/" + release.get("name").asText());
      }
    }
    assertThat(rendered).contains("minikube/ringkv", "production/ringkv");
  }

  /** helmfile's order: the release's values entries (files or inline maps), then its set entries. */
  private TemplateCommand withReleaseValues(TemplateCommand t, JsonNode release, JsonNode environment) {
    for (JsonNode entry : release.path("values")) {
      if (entry.isTextual() && entry.asText().equals(ENVIRONMENT_PASSTHROUGH)) {
        for (JsonNode file : environment.path("values")) {
          t.withValuesFile(existing(Locations.HELM_DIR.resolve(file.asText())));
        }
      } else if (entry.isTextual()) {
        assertThat(entry.asText()).as("values file %s: only the passthrough may be a template", entry.asText())
            .doesNotEndWith(".gotmpl");
        t.withValuesFile(existing(Locations.HELM_DIR.resolve(entry.asText())));
      } else {
        t.withValuesFile(inline(entry));
      }
    }
    for (JsonNode set : release.path("set")) {
      t.set(set.get("name").asText(), set.get("value").asText());
    }
    return t;
  }

  private static Path existing(Path file) {
    assertThat(file).as("values file named in helmfile.yaml").isRegularFile();
    return file;
  }

  private Path inline(JsonNode values) {
    try {
      Path file = Files.createTempFile(scratch, "inline", ".yaml");
      YAML.writeValue(file.toFile(), values);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
