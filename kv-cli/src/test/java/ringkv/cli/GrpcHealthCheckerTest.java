package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real gRPC health service on loopback: the one place kvctl's tests open sockets. */
class GrpcHealthCheckerTest {
  private final HealthStatusManager health = new HealthStatusManager();
  private Server server;

  @BeforeEach
  void startServer() throws IOException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(health.getHealthService())
            .build()
            .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination();
  }

  private String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void check_servingAndNotServingAndClosedPort_oneAnswerEachInOrder() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String closed = "127.0.0.1:" + closedPort;

    List<EndpointHealth> serving =
        new GrpcHealthChecker().check(List.of(endpoint(), closed), Duration.ofSeconds(5));
    assertThat(serving.get(0)).isEqualTo(new EndpointHealth(endpoint(), "SERVING", ""));
    assertThat(serving.get(1).endpoint()).isEqualTo(closed);
    assertThat(serving.get(1).state()).isEqualTo("UNAVAILABLE");
    assertThat(serving.get(1).isServing()).isFalse();
    assertThat(serving.get(1).line()).startsWith(closed + " UNAVAILABLE (").doesNotContain("\n");

    health.setStatus("", ServingStatus.NOT_SERVING);
    List<EndpointHealth> notServing =
        new GrpcHealthChecker().check(List.of(endpoint()), Duration.ofSeconds(5));
    assertThat(notServing).containsExactly(new EndpointHealth(endpoint(), "NOT_SERVING", ""));
  }
}
