package ringkv.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import ringkv.bench.ycsb.RecordStore;

class EtcdYcsbSettingsTest {
  private static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void from_noProperties_usesThreeLocalMembersLinearizablyWithA10sDeadline() {
    EtcdYcsbSettings s = EtcdYcsbSettings.from(new Properties());

    assertThat(s.endpoints())
        .containsExactly("http://127.0.0.1:2379", "http://127.0.0.1:22379", "http://127.0.0.1:32379");
    assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.serializableReads()).isFalse();
  }

  @Test
  void from_everyProperty_isParsedAndBareHostPortGetsHttp() {
    EtcdYcsbSettings s = EtcdYcsbSettings.from(props("etcd.endpoints", "127.0.0.1:2379, http://10.0.0.2:2379",
        "etcd.deadline", "3s", "etcd.consistency", "serializable"));

    assertThat(s.endpoints()).containsExactly("http://127.0.0.1:2379", "http://10.0.0.2:2379");
    assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.serializableReads()).isTrue();
    assertThat(s).hasToString("etcd.endpoints=http://127.0.0.1:2379,http://10.0.0.2:2379 etcd.deadline=3s "
        + "etcd.consistency=serializable");
  }

  @Test
  void from_badEndpoints_nameTheProperty() {
    assertThatThrownBy(() -> EtcdYcsbSettings.from(props("etcd.endpoints", "https://127.0.0.1:2379")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etcd.endpoints")
        .hasMessageContaining("http://host:port");
    assertThatThrownBy(() -> EtcdYcsbSettings.from(props("etcd.endpoints", "127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etcd.endpoints");
    assertThatThrownBy(() -> EtcdYcsbSettings.from(props("etcd.endpoints", "http://bad host:1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a URL");
  }

  @Test
  void from_badDeadlineOrConsistency_nameTheProperty() {
    assertThatThrownBy(() -> EtcdYcsbSettings.from(props("etcd.deadline", "-1s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("etcd.deadline");
    assertThatThrownBy(() -> EtcdYcsbSettings.from(props("etcd.consistency", "weak")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("etcd.consistency");
  }

  @Test
  void failureOf_etcdAndGrpcExceptions_giveTheGrpcCode() {
    assertThat(EtcdRecordStore.failureOf(EtcdExceptionFactory.newEtcdException(ErrorCode.UNAVAILABLE, "no leader")))
        .isEqualTo(new RecordStore.Failure("UNAVAILABLE", "no leader"));
    assertThat(EtcdRecordStore.failureOf(new CompletionException(
        Status.RESOURCE_EXHAUSTED.withDescription("too many requests").asRuntimeException())))
        .isEqualTo(new RecordStore.Failure("RESOURCE_EXHAUSTED", "too many requests"));
    assertThat(EtcdRecordStore.failureOf(new ExecutionException(Status.DEADLINE_EXCEEDED.asException())).code())
        .isEqualTo("DEADLINE_EXCEEDED");
    assertThat(EtcdRecordStore.failureOf(new EtcdRecordStore.CallFailedException("DEADLINE_EXCEEDED", "no answer")))
        .isEqualTo(new RecordStore.Failure("DEADLINE_EXCEEDED", "no answer"));
    assertThat(EtcdRecordStore.failureOf(new IllegalStateException("boom")).code()).isEqualTo("UNKNOWN");
  }
}
