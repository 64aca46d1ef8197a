package ringkv.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A container's command, {@code /bin/sh -c SCRIPT} or {@code /bin/bash -c SCRIPT}, run in that
 * real shell with the container's environment as Kubernetes builds it (downward API and $(VAR)
 * references), and stubs in place of the image's programs.
 */
record ContainerScript(String shell, String script, Map<String, String> env) {
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** What the script did. */
  record Run(int exitCode, String stdout, String stderr) {}

  static ContainerScript of(Container container, String podName) {
    return of(container, podName, null);
  }

  /** As {@link #of(Container, String)}, with ConfigMap references resolved in {@code manifests}. */
  static ContainerScript of(Container container, String podName, @Nullable Manifests manifests) {
    List<String> command = new ArrayList<>(container.getCommand());
    command.addAll(container.getArgs());
    if (command.size() != 3 || !command.get(1).equals("-c") || !List.of("/bin/sh", "/bin/bash").contains(command.get(0))) {
      throw new AssertionError("expected command /bin/sh or /bin/bash -c SCRIPT, got " + command);
    }
    return new ContainerScript(command.get(0), command.get(2), containerEnv(container, podName, manifests));
  }

  /** The same, with the script edited first (e.g. a peer's address made local). */
  ContainerScript edited(UnaryOperator<String> edit) {
    return new ContainerScript(shell, edit.apply(script), env);
  }

  /** The same, with these variables set as well (e.g. a shorter poll interval). */
  ContainerScript withEnv(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(more);
    return new ContainerScript(shell, script, all);
  }

  /** Writes an executable shell script. */
  static Path executable(Path file, String body) throws IOException {
    Files.writeString(file, body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /**
   * Runs the script with each program (an absolute path in the image) replaced by its stub; the
   * script must run each of them. Only PATH and the container's variables are set.
   */
  Run run(Path scratch, String name, Map<String, Path> stubs) throws IOException, InterruptedException {
    String edited = script;
    for (var stub : stubs.entrySet()) {
      if (!edited.contains(stub.getKey())) {
        throw new AssertionError("the script never runs " + stub.getKey() + ":\n" + script);
      }
      edited = edited.replace(stub.getKey(), stub.getValue().toString());
    }
    ProcessBuilder pb = new ProcessBuilder(shell, "-c", edited);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().putAll(env);
    // stderr apart: the script may explain itself there
    Path stderr = scratch.resolve(name + ".stderr");
    pb.redirectError(stderr.toFile());
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the script of " + name + " did not end within 30 s:\n" + out + Files.readString(stderr));
    }
    return new Run(process.exitValue(), out, Files.readString(stderr));
  }

  /**
   * The container's variables as the kubelet sets them: metadata.name from the downward API,
   * ConfigMap keys from the rendered ConfigMaps in {@code manifests}, $(VAR) expanded.
   */
  static Map<String, String> containerEnv(Container container, String podName, @Nullable Manifests manifests) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      String value;
      if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
        ConfigMapKeySelector ref = var.getValueFrom().getConfigMapKeyRef();
        if (manifests == null) {
          throw new AssertionError(var.getName() + " reads ConfigMap " + ref.getName() + ": the test needs the manifests");
        }
        value = manifests.named(ConfigMap.class, ref.getName()).getData().get(ref.getKey());
        if (value == null) {
          throw new AssertionError("ConfigMap " + ref.getName() + " has no key " + ref.getKey() + " for " + var.getName());
        }
      } else if (var.getValueFrom() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        if (!field.equals("metadata.name")) {
          throw new AssertionError("the test knows only the downward API field metadata.name, not " + field);
        }
        value = podName;
      } else {
        // Kubernetes expands references to variables defined earlier in the list
        Matcher m = VAR_REF.matcher(var.getValue());
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(expanded, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(expanded);
        value = expanded.toString();
      }
      env.put(var.getName(), value);
    }
    return env;
  }
}
