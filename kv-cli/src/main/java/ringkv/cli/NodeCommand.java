package ringkv.cli;

import picocli.CommandLine.Command;

/**
 * {@code kvctl node}: the parent of {@code node add}, {@code node remove}, {@code node rebalance}
 * and {@code node drain}.
 */
@Command(
    name = "node",
    description = {
      "Adds and removes nodes, spreads replicas over them, and drains one for maintenance.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order); that"
          + " node forwards the request to the meta leader or to the node named."
    },
    subcommands = {
      NodeAddCommand.class,
      NodeRemoveCommand.class,
      NodeRebalanceCommand.class,
      NodeDrainCommand.class
    })
public final class NodeCommand extends CommandGroup {}
