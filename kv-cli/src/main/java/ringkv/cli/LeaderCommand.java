package ringkv.cli;

import picocli.CommandLine.Command;

/** {@code kvctl leader}: the parent of {@code leader transfer}. */
@Command(
    name = "leader",
    description = {
      "Moves the leadership of a Raft group.",
      "",
      "Asks the Admin service of the first endpoint that answers (in --endpoints order)."
    },
    subcommands = {LeaderTransferCommand.class})
public final class LeaderCommand extends CommandGroup {}
