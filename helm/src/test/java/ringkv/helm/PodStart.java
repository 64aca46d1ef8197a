package ringkv.helm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What kv-server gets when the chart starts it in pod {@code <fullname>-<ordinal>}: the
 * container's command runs as {@link ContainerScript} runs it, with a stub in place of
 * /opt/ringkv/bin/kv-server that prints its arguments and RINGKV_* variables.
 */
record PodStart(String program, List<String> args, Map<String, String> env) {
  static final String KV_SERVER = "/opt/ringkv/bin/kv-server";

  /** The start of pod {@code podName} of the rendered StatefulSet in {@code m}. */
  static PodStart of(Manifests m, String podName, Path scratch) throws IOException, InterruptedException {
    return of(m, podName, scratch, script -> script);
  }

  /** As {@link #of(Manifests, String, Path)}, with the script edited first (e.g. a peer's address made local). */
  static PodStart of(Manifests m, String podName, Path scratch, UnaryOperator<String> edit)
      throws IOException, InterruptedException {
    Path stub = ContainerScript.executable(scratch.resolve("kv-server-stub"), """
        #!/bin/sh
        printf 'PROGRAM %s\\n' "$0"
        for a in "$@"; do printf 'ARG %s\\n' "$a"; done
        env | grep '^RINGKV_' | sed 's/^/ENV /'
        """);
    ContainerScript.Run run = ContainerScript.of(m.node(), podName, m).edited(edit)
        .run(scratch, podName, Map.of(KV_SERVER, stub));
    if (run.exitCode() != 0) {
      throw new AssertionError("start script failed for " + podName + ":\n" + run.stdout() + run.stderr());
    }
    String program = null;
    List<String> args = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : run.stdout().split("\n")) {
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
