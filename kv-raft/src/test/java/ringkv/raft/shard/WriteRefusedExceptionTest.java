package ringkv.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;

class WriteRefusedExceptionTest {
  @Test
  void theReasonAndMessageSurviveRatisWrappingTheMessage() {
    WriteRefusal refusal = new WriteRefusal(ErrorReason.MEMORY_FULL, "memory full: 614 MiB (max-data-memory)");
    // Ratis passes only the message on, behind text of its own
    String forwarded = "n1@group-0: " + new WriteRefusedException(refusal).getMessage();
    assertThat(WriteRefusedException.parse(forwarded)).contains(refusal);
  }

  @Test
  void diskFullKeepsTheMarkerOfThePreviousVersion() {
    WriteRefusal refusal = new WriteRefusal(ErrorReason.DISK_FULL, "disk full");
    String message = new WriteRefusedException(refusal).getMessage();
    assertThat(message).startsWith("[ringkv:disk-full] ");
    assertThat(WriteRefusedException.parse(message)).contains(refusal);
  }

  @Test
  void otherMessagesAreNoRefusal() {
    assertThat(WriteRefusedException.parse(null)).isEmpty();
    assertThat(WriteRefusedException.parse("state machine failed: boom")).isEmpty();
    assertThat(WriteRefusedException.parse("[ringkv:refused:NO_SUCH_REASON] x")).isEmpty();
    assertThat(WriteRefusedException.parse("[ringkv:refused:MEMORY_FULL")).isEmpty();
  }
}
