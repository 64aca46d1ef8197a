package ringkv.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command of the root that only groups subcommands ({@code kvctl leader}, {@code kvctl shard}):
 * on its own it is a usage error that names them.
 */
abstract class CommandGroup implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Spec private CommandSpec spec;

  @Override
  public final Integer call() {
    List<String> names = List.copyOf(spec.subcommands().keySet());
    String last = names.get(names.size() - 1);
    throw new ParameterException(
        spec.commandLine(),
        "missing command: "
            + (names.size() == 1
                ? last
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last));
  }

  KvctlMain root() {
    return root;
  }
}
