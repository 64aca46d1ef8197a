package ringkv.server.main;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.ErrorReason;
import ringkv.raft.shard.WriteRefusal;
import ringkv.raft.shard.WriteRefusedException;

class RefusedWriteLogFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void setUp() {
    RefusedWriteLogFilter filter = new RefusedWriteLogFilter();
    filter.start();
    context.addTurboFilter(filter);
    logged.setContext(context);
    logged.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logged);
  }

  /** As the leader's refusal reaches the forwarding node: a StateMachineException with only the message. */
  private static Throwable forwardedRefusal(ErrorReason reason) {
    String message = new WriteRefusedException(new WriteRefusal(reason, "memory full: 512 KiB held")).getMessage();
    return new CompletionException(new StateMachineException("n1@group-1 failed: " + message));
  }

  @Test
  void ratisClientError_aRefusedWrite_dropped() {
    Logger ratis = context.getLogger(RefusedWriteLogFilter.RATIS_ORDERED_CLIENT);
    ratis.error("Failed to send request, message={}", "put", forwardedRefusal(ErrorReason.MEMORY_FULL));
    ratis.error("Failed to send request, message={}", "put", forwardedRefusal(ErrorReason.DISK_FULL));
    assertThat(logged.list).isEmpty();
  }

  @Test
  void ratisClientError_anyOtherFailure_logged() {
    Logger ratis = context.getLogger(RefusedWriteLogFilter.RATIS_ORDERED_CLIENT);
    ratis.error("Failed to send request, message={}", "put",
        new CompletionException(new StateMachineException("n1@group-1 failed: boom")));
    ratis.error("Failed to send request, message={}", "put", new CompletionException(new IOException("reset")));
    ratis.error("Failed to send request, message={} due to {}", "put", "AlreadyClosedException");
    assertThat(logged.list).hasSize(3);
  }

  @Test
  void otherLoggers_aRefusedWrite_logged() {
    context.getLogger("ringkv.server.routing.CommandSubmitter")
        .error("refused", forwardedRefusal(ErrorReason.MEMORY_FULL));
    assertThat(logged.list).hasSize(1);
  }
}
