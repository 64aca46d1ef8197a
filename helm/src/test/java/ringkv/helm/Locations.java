package ringkv.helm;

import java.nio.file.Path;

/** Where the chart, the helmfile and the image definition are, seen from the module directory. */
final class Locations {
  /** Surefire runs the tests in the module directory, helm/. */
  static final Path HELM_DIR = Path.of("").toAbsolutePath();
  static final Path REPO_DIR = HELM_DIR.getParent();
  static final Path CHART = HELM_DIR.resolve("ringkv");
  static final Path HELMFILE = HELM_DIR.resolve("helmfile.yaml");
  static final Path DOCKERFILE = REPO_DIR.resolve("Dockerfile");

  private Locations() {}
}
