package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Renders the chart offline with helm-java (helm built into a native library; no binary, no cluster). */
final class Charts {
  static final String RELEASE = "ringkv";
  static final String NAMESPACE = "ringkv";
  /**
   * helm template pretends a Kubernetes v1.20 without a cluster, older than the chart's
   * kubeVersion (persistentVolumeClaimRetentionPolicy is on by default from 1.27); minikube's
   * current default is newer than this.
   */
  static final String KUBE_VERSION = "v1.31.0";

  /** The hook annotations' prefix, and what the tests' copy of the chart says instead. */
  private static final String HOOK = "helm.sh/hook";
  private static final String UNMARKED_HOOK = "unmarked-hook.ringkv.test/hook";
  /** chart -> its copy with the hooks unmarked */
  private static final Map<Path, Path> UNMARKED = new ConcurrentHashMap<>();

  private Charts() {}

  /** `helm template ringkv helm/ringkv -n ringkv` with extra options (values files, --set). */
  static String template(UnaryOperator<TemplateCommand> options) {
    return template(Locations.CHART, RELEASE, NAMESPACE, options);
  }

  /** `helm template NAME CHART -n NAMESPACE` with extra options, hooks included. */
  static String template(Path chart, String release, String namespace, UnaryOperator<TemplateCommand> options) {
    return options.apply(new Helm(withHooksUnmarked(chart)).template().withName(release).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION)).call().replace(UNMARKED_HOOK, HOOK);
  }

  /**
   * helm-java's template prints the release's manifest without its hooks (manusa/helm-java#416:
   * its template is an install dry run that returns only the manifest), where `helm template`
   * prints both. So the tests render a copy of the chart whose templates name the hook annotations
   * {@value #UNMARKED_HOOK}..., which helm does not know: the hooks stay in the manifest, and the
   * output gets their real names back.
   */
  private static Path withHooksUnmarked(Path chart) {
    return UNMARKED.computeIfAbsent(chart.toAbsolutePath().normalize(), Charts::copyWithHooksUnmarked);
  }

  private static Path copyWithHooksUnmarked(Path chart) {
    try {
      Path copy = Files.createTempDirectory("ringkv-chart").resolve(chart.getFileName());
      try (Stream<Path> files = Files.walk(chart)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(chart.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else if (file.startsWith(chart.resolve("templates"))) {
            Files.writeString(target, Files.readString(file).replace(HOOK, UNMARKED_HOOK));
          } else {
            Files.copy(file, target);
          }
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Renders, parses as typed objects, and fails on any unknown field. */
  static Manifests render(UnaryOperator<TemplateCommand> options) {
    return strictlyParsed(template(options));
  }

  /** Parses as typed objects and fails on any unknown field. */
  static Manifests strictlyParsed(String yaml) {
    Manifests manifests = Manifests.parse(yaml);
    for (var object : manifests.objects()) {
      assertThat(UnknownFields.in(object)).as("unknown fields in %s/%s", object.getKind(), object.getMetadata().getName())
          .isEmpty();
    }
    return manifests;
  }

  static Manifests render() {
    return render(t -> t);
  }

  /** Renders with these --set values. */
  static Manifests render(Map<String, Object> set) {
    return render(t -> {
      set.forEach(t::set);
      return t;
    });
  }

  /** Renders with these values files, later files winning, as helm -f a -f b. */
  static Manifests renderWithFiles(List<Path> valuesFiles) {
    return render(t -> {
      valuesFiles.forEach(t::withValuesFile);
      return t;
    });
  }
}
