package ringkv.helm;

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

/**
 * What kv-server gets when the chart starts it in pod {@code <fullname>-<ordinal>}: the
 * container's command runs in a real shell (the one it names), with the container's environment as Kubernetes
 * builds it (downward API and $(VAR) references), but with a stub in place of
 * /opt/ringkv/bin/kv-server that prints its arguments and RINGKV_* variables.
 */
record PodStart(String program, List<String> args, Map<String, String> env) {
  static final String KV_SERVER = "/opt/ringkv/bin/kv-server";
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  static PodStart of(Container container, String podName, Path scratch) throws IOException, InterruptedException {
    return of(container, podName, scratch, script -> script);
  }

  /** As {@link #of(Container, String, Path)}, with the script edited first (e.g. a peer's address made local). */
  static PodStart of(Container container, String podName, Path scratch, UnaryOperator<String> edit)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(container.getCommand());
    command.addAll(container.getArgs());
    if (command.size() != 3 || !command.get(1).equals("-c") || !List.of("/bin/sh", "/bin/bash").contains(command.get(0))) {
      throw new AssertionError("expected command /bin/sh or /bin/bash -c SCRIPT, got " + command);
    }
    String shell = command.get(0);
    String script = edit.apply(command.get(2));
    if (!script.contains(KV_SERVER)) {
      throw new AssertionError("the start script never runs " + KV_SERVER + ":\n" + script);
    }
    Path stub = scratch.resolve("kv-server-stub");
    Files.writeString(stub, """
        #!/bin/sh
        printf 'PROGRAM %s\\n' "$0"
        for a in "$@"; do printf 'ARG %s\\n' "$a"; done
        env | grep '^RINGKV_' | sed 's/^/ENV /'
        """);
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb = new ProcessBuilder(shell, "-c", script.replace(KV_SERVER, stub.toString()));
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().putAll(containerEnv(container, podName));
    // stderr apart: the script may explain itself there (pod 0's join notice)
    Path stderr = scratch.resolve(podName + ".stderr");
    pb.redirectError(stderr.toFile());
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("start script failed for " + podName + ":\n" + out + Files.readString(stderr));
    }
    String program = null;
    List<String> args = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("PROGRAM ")) {
        program = line.substring(8).equals(stub.toString()) ? KV_SERVER : line.substring(8);
      } else if (line.startsWith("ARG ")) {
        args.add(line.substring(4));
      } else if (line.startsWith("ENV ")) {
        String[] kv = line.substring(4).split("=", 2);
        env.put(kv[0], kv[1]);
      } else if (!line.isBlank()) {
        throw new AssertionError("unexpected output of the start script: " + line);
      }
    }
    return new PodStart(program, args, env);
  }

  /** The container's variables as the kubelet sets them: metadata.name from the downward API, $(VAR) expanded. */
  static Map<String, String> containerEnv(Container container, String podName) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      String value;
      if (var.getValueFrom() != null) {
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

  /** The flags as KvServerMain hands them to ConfigLoader: `--key value`, and `--bootstrap` as "true". */
  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new AssertionError("unexpected argument " + arg + " in " + args);
      }
      String key = arg.substring(2);
      if (key.equals("bootstrap")) {
        flags.put(key, "true");
      } else {
        flags.put(key, args.get(++i));
      }
    }
    return flags;
  }
}
