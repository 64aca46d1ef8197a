package ringkv.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.client.KvTimeoutException;
import ringkv.client.KvUnavailableException;
import ringkv.client.ReadOptions;

class RingKvYcsbSettingsTest {
  private static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void from_noProperties_usesTheLocalClusterLinearizablyWithA10sDeadline() {
    RingKvYcsbSettings s = RingKvYcsbSettings.from(new Properties());

    assertThat(s.endpoints()).containsExactly("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003");
    assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.serializableReads()).isFalse();
    assertThat(s.readOptions()).isEqualTo(ReadOptions.LINEARIZABLE);
    assertThat(s.clientConfig().callTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void from_everyProperty_isParsed() {
    RingKvYcsbSettings s = RingKvYcsbSettings.from(props("ringkv.endpoints", " 10.0.0.1:9001 ,10.0.0.2:9001,",
        "ringkv.deadline", "2500ms", "ringkv.consistency", "SERIALIZABLE"));

    assertThat(s.endpoints()).containsExactly("10.0.0.1:9001", "10.0.0.2:9001");
    assertThat(s.deadline()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.readOptions()).isEqualTo(ReadOptions.SERIALIZABLE);
    assertThat(s).hasToString("ringkv.endpoints=10.0.0.1:9001,10.0.0.2:9001 ringkv.deadline=2500ms "
        + "ringkv.consistency=serializable");
  }

  @Test
  void from_equalProperties_giveEqualSettings() {
    // equal settings share one client (SharedStores is keyed by them)
    assertThat(RingKvYcsbSettings.from(props("ringkv.deadline", "10s")))
        .isEqualTo(RingKvYcsbSettings.from(new Properties()));
  }

  @Test
  void from_badEndpoint_namesTheProperty() {
    assertThatThrownBy(() -> RingKvYcsbSettings.from(props("ringkv.endpoints", "localhost")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ringkv.endpoints: ")
        .hasMessageContaining("'localhost'");
    assertThatThrownBy(() -> RingKvYcsbSettings.from(props("ringkv.endpoints", " , ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ringkv.endpoints must list");
  }

  @Test
  void from_badDeadline_namesTheProperty() {
    assertThatThrownBy(() -> RingKvYcsbSettings.from(props("ringkv.deadline", "soon")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ringkv.deadline: ");
    assertThatThrownBy(() -> RingKvYcsbSettings.from(props("ringkv.deadline", "0s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }

  @Test
  void from_badConsistency_namesTheProperty() {
    assertThatThrownBy(() -> RingKvYcsbSettings.from(props("ringkv.consistency", "eventual")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ringkv.consistency must be linearizable or serializable, got 'eventual'");
  }

  @Test
  void describe_clientException_givesCodeReasonAndWhetherApplied() {
    assertThat(RingKvRecordStore.failureOf(
        new KvUnavailableException(Status.Code.UNAVAILABLE, ErrorReason.NO_LEADER, "no leader", false, null)))
        .isEqualTo(new RecordStore.Failure("UNAVAILABLE", "NO_LEADER, no leader"));
    assertThat(RingKvRecordStore.failureOf(new KvTimeoutException(Status.Code.DEADLINE_EXCEEDED,
        ErrorReason.ERROR_REASON_UNSPECIFIED, "deadline", true, null)))
        .isEqualTo(new RecordStore.Failure("DEADLINE_EXCEEDED", "may have been applied, deadline"));
    assertThat(RingKvRecordStore.failureOf(new IllegalStateException("boom")).code()).isEqualTo("UNKNOWN");
  }

  @Test
  void settingsRecord_copiesEndpoints() {
    List<String> endpoints = new java.util.ArrayList<>(List.of("h:1"));
    RingKvYcsbSettings s = new RingKvYcsbSettings(endpoints, Duration.ofSeconds(1), false);
    endpoints.add("h:2");

    assertThat(s.endpoints()).containsExactly("h:1");
  }
}
