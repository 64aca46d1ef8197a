package ringkv.cli;

import picocli.CommandLine.Command;

/** {@code kvctl shard}: the parent of {@code shard move-replica}. */
@Command(
    name = "shard",
    description = {
      "Changes where a shard's replicas live.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order)."
    },
    subcommands = {ShardMoveReplicaCommand.class})
public final class ShardCommand extends CommandGroup {}
