package ringkv.raft.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.SetMetaMembers;

/**
 * The meta group's side of the upgrade contract, against the checked-in fixtures
 * ({@code fixtures/format-v<N>/meta-*}): the current code replays each older meta log to exactly
 * the map that version had (so replicas of two versions agree during an upgrade), loads its meta
 * snapshot, and halts on a meta command of a newer format instead of refusing it differently
 * from the newer replicas.
 */
class MetaFormatCompatibilityTest {
  private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> dirs = Files.list(FIXTURES)) {
      return dirs.filter(d -> Files.exists(d.resolve(MetaLogFixture.LOG))).sorted().toList();
    }
  }

  private static ClusterMap recordedMap(Path fixture) throws IOException {
    return TextFormat.parse(Files.readString(fixture.resolve(MetaLogFixture.MAP)), ClusterMap.class);
  }

  @Test
  void metaLogOfEveryFormat_replaysToTheRecordedMap() throws IOException {
    assertThat(fixtures()).isNotEmpty();
    for (Path fixture : fixtures()) {
      MetaStateMachine machine = new MetaStateMachine();
      MetaLogFixture log = new MetaLogFixture(machine);
      List<String> results = new ArrayList<>();
      for (byte[] entry : MetaLogFixture.entries(fixture)) {
        results.add(MetaLogFixture.describe(log.index() + 1, log.apply(entry)));
      }
      assertThat(results).as(fixture + " meta results").containsExactlyElementsOf(
          Files.readAllLines(fixture.resolve(MetaLogFixture.RESULTS)).stream().filter(l -> !l.startsWith("#")).toList());
      assertThat(machine.currentMap()).as(fixture + " map").isEqualTo(recordedMap(fixture));
    }
  }

  @Test
  void metaSnapshotOfEveryFormat_loadsTheRecordedMap() throws IOException {
    for (Path fixture : fixtures()) {
      MetaStateMachine machine = new MetaStateMachine();
      machine.loadSnapshot(fixture.resolve(MetaLogFixture.SNAPSHOT));
      assertThat(machine.currentMap()).as(fixture + " map").isEqualTo(recordedMap(fixture));
    }
  }

  @Test
  void metaCommandOfNewerFormat_haltsWithUpgradeMessage() {
    MetaLogFixture log = new MetaLogFixture(new MetaStateMachine());
    byte[] newer = MetaCommand.newBuilder().setFormatVersion(ClusterMapEditor.READABLE_FORMAT_VERSION + 1)
        .setSetMetaMembers(SetMetaMembers.newBuilder().addNodeIds("n1")).build().toByteArray();
    assertThatThrownBy(() -> log.apply(newer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("meta log entry format " + (ClusterMapEditor.READABLE_FORMAT_VERSION + 1) + " at index 1 is newer than this node's "
            + ClusterMapEditor.READABLE_FORMAT_VERSION + "; upgrade this node");
  }
}
