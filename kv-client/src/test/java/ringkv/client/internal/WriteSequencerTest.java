package ringkv.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.WriteId;

class WriteSequencerTest {
  @Test
  void next_numbersWritesFromOne_withOneClientId() {
    WriteSequencer sequencer = new WriteSequencer(new SecureRandom());
    WriteId first = sequencer.next();
    WriteId second = sequencer.next();
    assertThat(first.getSequence()).isEqualTo(1);
    assertThat(second.getSequence()).isEqualTo(2);
    assertThat(first.getClientId()).isEqualTo(second.getClientId()).hasSize(16);
  }

  @Test
  void firstIncomplete_staysAtTheOldestWriteStillInFlight() {
    WriteSequencer sequencer = new WriteSequencer(new SecureRandom());
    WriteId one = sequencer.next();
    WriteId two = sequencer.next();
    sequencer.complete(two.getSequence());
    WriteId three = sequencer.next();
    assertThat(three.getFirstIncompleteSequence()).isEqualTo(one.getSequence());
    sequencer.complete(one.getSequence());
    WriteId four = sequencer.next();
    assertThat(four.getFirstIncompleteSequence()).isEqualTo(three.getSequence());
    sequencer.complete(three.getSequence());
    sequencer.complete(four.getSequence());
    assertThat(sequencer.firstIncomplete()).isEqualTo(5);
  }

  @Test
  void twoClients_haveDifferentIds() {
    assertThat(new WriteSequencer(new SecureRandom()).clientId())
        .isNotEqualTo(new WriteSequencer(new SecureRandom()).clientId());
  }
}
