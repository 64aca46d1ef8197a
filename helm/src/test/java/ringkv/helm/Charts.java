package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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

  private Charts() {}

  /** `helm template ringkv helm/ringkv -n ringkv` with extra options (values files, --set). */
  static String template(UnaryOperator<TemplateCommand> options) {
    return template(Locations.CHART, RELEASE, NAMESPACE, options);
  }

  /** `helm template NAME CHART -n NAMESPACE` with extra options. */
  static String template(Path chart, String release, String namespace, UnaryOperator<TemplateCommand> options) {
    return options.apply(new Helm(chart).template().withName(release).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION)).call();
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
