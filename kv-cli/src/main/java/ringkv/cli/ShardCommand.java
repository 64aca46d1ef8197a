package ringkv.cli;

import picocli.CommandLine.Command;

/**
 * {@code kvctl shard}: the parent of {@code shard add}, {@code shard remove}, {@code shard scale}
 * and {@code shard move-replica}.
 */
@Command(
    name = "shard",
    description = {
      "Adds and removes shards, and changes where a shard's replicas live.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order)."
    },
    subcommands = {
      ShardAddCommand.class,
      ShardRemoveCommand.class,
      ShardScaleCommand.class,
      ShardMoveReplicaCommand.class
    })
public final class ShardCommand extends CommandGroup {}
