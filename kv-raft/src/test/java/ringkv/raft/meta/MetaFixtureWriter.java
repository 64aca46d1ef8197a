package ringkv.raft.meta;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ringkv.api.snapshot.SnapshotFile;
import ringkv.api.v1.BootstrapCluster;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.FinishReplicaMove;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.SetMetaMembers;
import ringkv.api.v1.SnapshotHeader;
import ringkv.api.v1.SnapshotRecord;
import ringkv.api.v1.StartReplicaMove;

/**
 * Writes the meta group's part of a format fixture (run by {@code FormatFixtureWriter}): the meta
 * commands of a cluster's life (bootstrap, joins, meta membership, a replica move, a refused
 * join), the map they give as a meta snapshot, and that map and each command's outcome as text.
 * Replaying the log must give the same map on every later version, or replicas of two versions
 * would disagree on the cluster map during an upgrade.
 */
public final class MetaFixtureWriter {
  private static final String CLUSTER = "fixture";

  private MetaFixtureWriter() {}

  public static void write(Path dir) throws IOException {
    List<MetaCommand> commands = new ArrayList<>();
    commands.add(command(MetaCommand.newBuilder().setBootstrap(BootstrapCluster.newBuilder().setClusterId(CLUSTER)
        .setShardCount(3).setReplication(3).setPartitionCount(64).setFirstNode(node(1)))));
    commands.add(command(MetaCommand.newBuilder().setRegisterNode(RegisterNode.newBuilder().setClusterId(CLUSTER).setNode(node(2)))));
    commands.add(command(MetaCommand.newBuilder().setRegisterNode(RegisterNode.newBuilder().setClusterId(CLUSTER).setNode(node(3)))));
    commands.add(command(MetaCommand.newBuilder().setSetMetaMembers(SetMetaMembers.newBuilder()
        .addNodeIds("n1").addNodeIds("n2").addNodeIds("n3"))));
    commands.add(command(MetaCommand.newBuilder().setRegisterNode(RegisterNode.newBuilder().setClusterId(CLUSTER).setNode(node(4)))));
    // refused: another cluster's node
    commands.add(command(MetaCommand.newBuilder().setRegisterNode(RegisterNode.newBuilder().setClusterId("other").setNode(node(5)))));

    MetaStateMachine machine = new MetaStateMachine();
    MetaLogFixture log = new MetaLogFixture(machine);
    List<String> results = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(dir.resolve(MetaLogFixture.LOG))) {
      for (MetaCommand command : commands) {
        command.writeDelimitedTo(out);
        results.add(MetaLogFixture.describe(log.index() + 1, log.apply(command.toByteArray())));
      }
      // a replica move of shard 0 from its preferred replica to n4, started and finished
      String from = machine.currentMap().getShards(0).getReplicas(0);
      for (MetaCommand command : List.of(
          command(MetaCommand.newBuilder().setStartReplicaMove(StartReplicaMove.newBuilder().setShardId(0).setFromNodeId(from).setToNodeId("n4"))),
          command(MetaCommand.newBuilder().setFinishReplicaMove(FinishReplicaMove.newBuilder().setShardId(0).setFromNodeId(from).setToNodeId("n4"))))) {
        command.writeDelimitedTo(out);
        results.add(MetaLogFixture.describe(log.index() + 1, log.apply(command.toByteArray())));
      }
    }
    ClusterMap map = machine.currentMap();
    SnapshotFile.write(dir.resolve(MetaLogFixture.SNAPSHOT),
        SnapshotHeader.newBuilder().setTerm(1).setIndex(log.index()).setPartitionCount(map.getPartitionCount()).build(),
        sink -> sink.write(SnapshotRecord.newBuilder().setClusterMap(map).build()));
    List<String> lines = new ArrayList<>();
    lines.add("# outcome of each command of " + MetaLogFixture.LOG + ": log index, map epoch or rejection");
    lines.addAll(results);
    Files.write(dir.resolve(MetaLogFixture.RESULTS), lines);
    Files.writeString(dir.resolve(MetaLogFixture.MAP), "# the map after " + MetaLogFixture.LOG + ", also in "
        + MetaLogFixture.SNAPSHOT + " (protobuf text format)\n" + TextFormat.printer().printToString(map));
  }

  private static MetaCommand command(MetaCommand.Builder command) {
    return command.setFormatVersion(ClusterMapEditor.FORMAT_VERSION).build();
  }

  private static NodeInfo node(int n) {
    return NodeInfo.newBuilder().setId("n" + n).setHost("10.0.0." + n).setRaftPort(7000).setApiPort(8000).setAdminPort(9000).build();
  }
}
