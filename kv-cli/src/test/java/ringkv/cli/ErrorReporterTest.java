package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;

class ErrorReporterTest {
  @Test
  void message_invalidArgument_keepsClientMessageWithLimit() {
    var e =
        FakeCluster.failure(
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_TOO_LARGE,
            "value is 2097152 bytes, the limit is 1048576",
            false);
    assertThat(ErrorReporter.message(e))
        .isEqualTo(
            "value is 2097152 bytes, the limit is 1048576 [code INVALID_ARGUMENT, reason"
                + " VALUE_TOO_LARGE]");
  }

  @Test
  void message_mayHaveBeenApplied_warns() {
    var e =
        FakeCluster.failure(Status.Code.DEADLINE_EXCEEDED, ErrorReason.TIMEOUT, "put failed", true);
    assertThat(ErrorReporter.message(e))
        .isEqualTo(
            "put failed [code DEADLINE_EXCEEDED, reason TIMEOUT]; the write may have been applied:"
                + " read the key to find out");
  }

  @Test
  void message_unspecifiedReasonOrBlankMessage_codeOnly() {
    var e =
        FakeCluster.failure(
            Status.Code.UNAVAILABLE, ErrorReason.ERROR_REASON_UNSPECIFIED, " ", false);
    assertThat(ErrorReporter.message(e)).isEqualTo("request failed [code UNAVAILABLE]");
  }

  @Test
  void message_otherException_namesType() {
    assertThat(ErrorReporter.message(new IllegalStateException("boom")))
        .isEqualTo("IllegalStateException: boom");
    assertThat(ErrorReporter.message(new CommandFailedException("cannot write x")))
        .isEqualTo("cannot write x");
  }

  @Test
  void oneLine_lineBreaks_collapsed() {
    assertThat(ErrorReporter.oneLine("first\n  second\r\nthird")).isEqualTo("first second third");
  }
}
