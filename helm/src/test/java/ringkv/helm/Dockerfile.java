package ringkv.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read into its stages and instructions (continuation lines joined, comments dropped). */
record Dockerfile(List<Stage> stages) {
  record Instruction(String keyword, String arguments) {
    /** The words of the arguments, with --flags split off by {@link #flags()}. */
    List<String> words() {
      return Arrays.stream(arguments.trim().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
    }

    List<String> flags() {
      return Arrays.stream(arguments.trim().split("\\s+")).filter(w -> w.startsWith("--")).toList();
    }
  }

  record Stage(String baseImage, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  static Dockerfile read(Path file) throws IOException {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      logical.add(current.toString());
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    List<Instruction> instructions = null;
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        List<String> words = instruction.words();
        instructions = new ArrayList<>();
        String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
        stages.add(new Stage(words.get(0), name, instructions));
      } else if (instructions != null) {
        instructions.add(instruction);
      }
    }
    return new Dockerfile(stages);
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }
}
