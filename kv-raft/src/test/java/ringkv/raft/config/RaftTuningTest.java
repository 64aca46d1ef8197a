package ringkv.raft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.time.Duration;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

class RaftTuningTest {
  private final RaftProperties defaults = RaftTuning.DEFAULTS.toServerProperties(new File("/tmp/unused"), "127.0.0.1", 7001);

  @Test
  void serverProperties_logCache_holdsTheOpenSegmentAndOneClosedSegmentPerGroup() {
    assertThat(RaftServerConfigKeys.Log.segmentCacheNumMax(defaults)).isEqualTo(1);
    assertThat(RaftServerConfigKeys.Log.segmentCacheSizeMax(defaults).getSize())
        .isEqualTo(2 * RaftServerConfigKeys.Log.segmentSizeMax(defaults).getSize())
        .isEqualTo(64L << 20);
  }

  @Test
  void serverProperties_segmentCacheFollowsTheSegmentSize() {
    RaftProperties small = RaftTuning.DEFAULTS.withLogSegmentSizeMax(1 << 20)
        .toServerProperties(new File("/tmp/unused"), "127.0.0.1", 7001);
    assertThat(RaftServerConfigKeys.Log.segmentCacheSizeMax(small).getSize()).isEqualTo(2L << 20);
  }

  @Test
  void serverProperties_acknowledgeOnlyWhatIsOnDisk() {
    assertThat(RaftServerConfigKeys.Log.unsafeFlushEnabled(defaults)).isFalse();
    assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(defaults)).isFalse();
  }

  @Test
  void serverProperties_followersAppendOnTheReceivingThread_andEventLoopsAreOnePerCore() {
    RaftProperties p = RaftTuning.DEFAULTS.toServerProperties(new File("/tmp/unused"), "127.0.0.1", 0);

    assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p)).isFalse();
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(RaftTuning.eventLoopThreads()).isEqualTo(cores);
    assertThat(GrpcConfigKeys.Server.workerGroupSize(p)).isEqualTo(cores);
    assertThat(GrpcConfigKeys.Client.workerGroupSize(p)).isEqualTo(cores);
    assertThat(GrpcConfigKeys.Server.bossGroupSize(p)).isEqualTo(1);
  }

  @Test
  void new_entriesInFlightZero_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> RaftTuning.DEFAULTS.withEntriesInFlight(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entriesInFlight");
  }

  @Test
  void new_electionTimeoutMaxNotAboveMin_isRefused() {
    assertThatThrownBy(() -> RaftTuning.DEFAULTS.withElectionTimeout(Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("electionTimeoutMax");
  }
}
