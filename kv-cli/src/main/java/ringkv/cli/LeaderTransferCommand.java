package ringkv.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;

/** {@code kvctl leader transfer}: moves a group's leadership to another of its replicas. */
@Command(
    name = "transfer",
    sortOptions = false,
    description = {
      "Moves the leadership of a shard or of the meta group to another of its replicas.",
      "",
      "The new leader also becomes the group's preferred leader, so the leadership stays there."
          + " Answers once it leads: prints the group, the previous leader and the new one."
          + " Waits for the node's answer (it gives up after 20 s) even when --timeout is shorter."
    })
public final class LeaderTransferCommand implements Callable<Integer> {
  /** The node gives up after 20 s; a little more, so that its answer arrives. */
  static final Duration SERVER_TIME = Duration.ofSeconds(25);

  @ParentCommand private LeaderCommand leader;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Group group;

  static final class Group {
    @Option(names = "--shard", paramLabel = "ID", description = "A shard id.")
    @Nullable Integer shard;

    @Option(names = "--meta", description = "The meta group (the cluster map).")
    boolean meta;
  }

  @Option(
      names = "--to",
      paramLabel = "NODE",
      description = "The node to lead next; it must hold a replica. Default: any other replica.")
  private @Nullable String to;

  @Mixin private WriteOutputOption output = new WriteOutputOption();

  @Override
  public Integer call() {
    var request = TransferLeadershipRequest.newBuilder();
    if (group.meta) {
      request.setMeta(true);
    } else {
      int shard = group.shard == null ? -1 : group.shard;
      if (shard < 0) {
        throw new UsageException("--shard must be >= 0, got " + group.shard);
      }
      request.setShardId(shard);
    }
    if (to != null) {
      if (to.isBlank()) {
        throw new UsageException("--to must name a node");
      }
      request.setToNodeId(to);
    }
    TransferLeadershipRequest built = request.build();
    TransferLeadershipResponse response =
        ClusterCommand.firstAnswerToChange(
            leader.root(),
            SERVER_TIME,
            (admin, endpoint, timeout) -> admin.transferLeadership(endpoint, built, timeout));
    String previous = response.getPreviousLeaderId();
    if (output.format() == WriteFormat.JSON) {
      leader
          .root()
          .printer()
          .line(
              new JsonObject()
                  .field("group", built.hasMeta() ? "meta" : "shard-" + built.getShardId())
                  .field("previous_leader", previous.isEmpty() ? null : previous)
                  .field("leader", response.getLeaderId())
                  .toString());
    } else {
      leader
          .root()
          .printer()
          .line(
              (built.hasMeta() ? "meta" : "shard " + built.getShardId())
                  + ": leader "
                  + ClusterStatusReport.orDash(previous)
                  + " -> "
                  + response.getLeaderId());
    }
    return ExitCodes.OK;
  }
}
