package ringkv.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@code grpc.health.v1.Health/Check} with service name {@code ""} (the whole server) on
 * every endpoint at once, each on its own plaintext channel, and closes the channels before it
 * returns.
 */
public final class GrpcHealthChecker implements HealthChecker {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  @Override
  public List<EndpointHealth> check(List<String> endpoints, Duration timeout) {
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<CompletableFuture<HealthCheckResponse>> answers = new ArrayList<>();
      for (String endpoint : endpoints) {
        ManagedChannel channel =
            Grpc.newChannelBuilderForAddress(
                    Endpoints.host(endpoint),
                    Endpoints.port(endpoint),
                    InsecureChannelCredentials.create())
                .build();
        channels.add(channel);
        answers.add(check(channel, timeout));
      }
      List<EndpointHealth> results = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        results.add(await(endpoints.get(i), answers.get(i)));
      }
      return results;
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
      for (ManagedChannel channel : channels) {
        awaitClosed(channel);
      }
    }
  }

  private static CompletableFuture<HealthCheckResponse> check(
      ManagedChannel channel, Duration timeout) {
    CompletableFuture<HealthCheckResponse> answer = new CompletableFuture<>();
    HealthGrpc.newStub(channel)
        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .check(
            HealthCheckRequest.newBuilder().setService("").build(),
            new StreamObserver<>() {
              @Override
              public void onNext(HealthCheckResponse response) {
                answer.complete(response);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                answer.completeExceptionally(
                    Status.INTERNAL.withDescription("no response").asRuntimeException());
              }
            });
    return answer;
  }

  private static EndpointHealth await(
      String endpoint, CompletableFuture<HealthCheckResponse> answer) {
    try {
      return new EndpointHealth(endpoint, answer.get().getStatus().name(), "");
    } catch (ExecutionException e) {
      return EndpointHealth.failed(endpoint, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted", e);
    }
  }

  private static void awaitClosed(ManagedChannel channel) {
    try {
      channel.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
