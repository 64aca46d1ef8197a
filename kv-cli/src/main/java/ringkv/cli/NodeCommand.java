package ringkv.cli;

import picocli.CommandLine.Command;

/** {@code kvctl node}: the parent of {@code node drain}. */
@Command(
    name = "node",
    description = {
      "Prepares one node for maintenance.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order); that"
          + " node forwards the request to the node named."
    },
    subcommands = {NodeDrainCommand.class})
public final class NodeCommand extends CommandGroup {}
