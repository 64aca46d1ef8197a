package ringkv.client.internal;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import com.google.protobuf.ByteString;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.ResponseHeader;
import ringkv.client.KvClientConfig;
import ringkv.client.internal.FailureClassifier.AttemptFailure;

/**
 * Runs one logical call as a series of attempts on the cluster's nodes until one succeeds, a
 * non-retryable error comes back, or the call deadline passes.
 *
 * <p>Implementation notes. Each attempt gets {@code min(attemptTimeout, time left)}; a retry
 * starts only with at least {@link #MIN_RETRY_NANOS} left. An attempt
 * goes to the node leading the key's shard as the {@link Router} knows it, so that steady-state
 * requests take no forwarding hop; without that knowledge, to any node. A failed attempt moves to
 * the leader the error names, or the next endpoint, after a jittered backoff; {@code ABORTED}
 * (stale map) refreshes the map first. The caller builds the request once, so a retried write carries the
 * same (client id, sequence) on every attempt.
 *
 * <p>Responses complete the call's future on gRPC's default executor, a thread pool, so that
 * whatever the application chains on an {@code AsyncKvClient} future never runs on, and never
 * stalls, the channel's network thread. {@link #respondingOn} makes a caller that completes on
 * another executor: the blocking client's, whose only continuation is waking the waiting thread.
 */
final class RetryingCaller {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);
  /**
   * The least time left for which a retry is started. A shorter attempt would almost surely end
   * in DEADLINE_EXCEEDED, perhaps inside gRPC before it is sent, and for a write that says "may
   * have been applied": less than the failure already in hand tells.
   */
  private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final KvClientConfig config;
  private final ChannelPool channels;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final LongSupplier nanoClock;
  private final Router router;
  /** Where responses complete the call's future; null: gRPC's default executor. */
  private final Executor responseExecutor;
  private volatile String preferredEndpoint;

  RetryingCaller(KvClientConfig config, ChannelPool channels, Router router, ScheduledExecutorService scheduler,
      Backoff backoff, LongSupplier nanoClock) {
    this(config, channels, router, scheduler, backoff, nanoClock, null);
  }

  private RetryingCaller(KvClientConfig config, ChannelPool channels, Router router, ScheduledExecutorService scheduler,
      Backoff backoff, LongSupplier nanoClock, Executor responseExecutor) {
    this.config = config;
    this.channels = channels;
    this.router = router;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.nanoClock = nanoClock;
    this.responseExecutor = responseExecutor;
    this.preferredEndpoint = config.endpoints().get(0);
  }

  /**
   * A caller over the same channels, router and retry scheduler whose responses complete the
   * call's future on {@code executor}; with {@code directExecutor()}, on the network thread that
   * read the response, which saves a thread hand-off per call. Only for futures nothing slow is
   * chained on. (Its preferred endpoint for calls without a known leader is its own.)
   */
  RetryingCaller respondingOn(Executor executor) {
    return new RetryingCaller(config, channels, router, scheduler, backoff, nanoClock, executor);
  }

  /**
   * Calls {@code rpc} until it succeeds or the call ends.
   *
   * @param operation name used in error messages ("put", "get", ...)
   * @param isWrite whether a failure may leave the write applied
   * @param key the key, to send the request to the leader of its shard
   * @param rpc issues one attempt on a stub that already carries the attempt deadline, routed
   *     with the given map epoch
   * @param headerOf extracts the response header, to learn the leader's endpoint
   */
  <T> CompletableFuture<T> call(String operation, boolean isWrite, ByteString key,
      BiFunction<KVGrpc.KVFutureStub, Long, ListenableFuture<T>> rpc, Function<T, ResponseHeader> headerOf) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long deadline = nanoClock.getAsLong() + config.callTimeout().toNanos();
    Attempts<T> attempts = new Attempts<>(operation, isWrite, key, rpc, headerOf, result, deadline);
    attempts.run(attempts.routedEndpoint(preferredEndpoint), 0);
    return result;
  }

  private final class Attempts<T> {
    final String operation;
    final boolean isWrite;
    final ByteString key;
    final BiFunction<KVGrpc.KVFutureStub, Long, ListenableFuture<T>> rpc;
    final Function<T, ResponseHeader> headerOf;
    final CompletableFuture<T> result;
    final long deadlineNanos;
    boolean mayHaveBeenApplied;
    /** The failure that made the loop schedule the next attempt; null before the first fails. */
    @Nullable AttemptFailure lastFailure;

    Attempts(String operation, boolean isWrite, ByteString key, BiFunction<KVGrpc.KVFutureStub, Long, ListenableFuture<T>> rpc,
        Function<T, ResponseHeader> headerOf, CompletableFuture<T> result, long deadlineNanos) {
      this.operation = operation;
      this.isWrite = isWrite;
      this.key = key;
      this.rpc = rpc;
      this.headerOf = headerOf;
      this.result = result;
      this.deadlineNanos = deadlineNanos;
    }

    void run(String endpoint, int attempt) {
      long left = deadlineNanos - nanoClock.getAsLong();
      if (left < MIN_RETRY_NANOS && lastFailure != null) {
        // the retry was due in time but its thread ran late (a busy machine; CI saw one start
        // 0.3 ms past the deadline): end with the failure that caused it
        result.completeExceptionally(FailureClassifier.toException(operation, lastFailure, mayHaveBeenApplied, true));
        return;
      }
      long attemptNanos = Math.min(config.attemptTimeout().toNanos(), Math.max(left, 1));
      ListenableFuture<T> call;
      try {
        KVGrpc.KVFutureStub stub = channels.stub(endpoint).withDeadlineAfter(attemptNanos, TimeUnit.NANOSECONDS);
        if (responseExecutor != null) {
          stub = stub.withExecutor(responseExecutor);
        }
        call = rpc.apply(stub, router.epoch());
      } catch (RuntimeException e) {
        onFailure(endpoint, attempt, e);
        return;
      }
      Futures.addCallback(call, new FutureCallback<T>() {
        @Override
        public void onSuccess(T response) {
          router.observe(headerOf.apply(response));
          result.complete(response);
        }

        @Override
        public void onFailure(Throwable t) {
          Attempts.this.onFailure(endpoint, attempt, t);
        }
      }, MoreExecutors.directExecutor());
    }

    void onFailure(String endpoint, int attempt, Throwable t) {
      AttemptFailure failure = FailureClassifier.classify(t);
      lastFailure = failure;
      if (isWrite && failure.writeMayHaveBeenApplied()) {
        mayHaveBeenApplied = true;
      }
      Duration delay = backoff.delay(attempt);
      long now = nanoClock.getAsLong();
      boolean timeLeft = now + delay.toNanos() + MIN_RETRY_NANOS <= deadlineNanos;
      int shard = router.shardOf(key);
      if (failure.isRetryable()) {
        // also when this failure ends the call: the next call must not start on a node that just
        // timed out (a leader cut off from its followers answers nothing; found by the chaos
        // experiments' leader-partition scenario)
        router.forgetLeader(shard, endpoint);
        if (endpoint.equals(preferredEndpoint)) {
          preferredEndpoint = nextOf(endpoint);
        }
      }
      if (!failure.isRetryable() || !timeLeft) {
        boolean deadlinePassed = failure.isRetryable() && !timeLeft;
        result.completeExceptionally(FailureClassifier.toException(operation, failure, mayHaveBeenApplied, deadlinePassed));
        return;
      }
      if (failure.code() == io.grpc.Status.Code.ABORTED) {
        // stale routing: refresh the map first, then go where it says
        router.refresh().whenComplete((v, e) -> scheduler.schedule(
            () -> run(routedEndpoint(nextEndpoint(endpoint, failure, shard)), attempt + 1), delay.toNanos(), TimeUnit.NANOSECONDS));
        return;
      }
      String next = nextEndpoint(endpoint, failure, shard);
      LOG.debug("{} attempt {} on {} failed with {}; retrying on {} in {}", operation, attempt, endpoint, failure.code(), next, delay);
      scheduler.schedule(() -> run(next, attempt + 1), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The endpoint of the key's shard leader if known, else {@code fallback}. */
    String routedEndpoint(String fallback) {
      String routed = router.endpointFor(router.shardOf(key));
      return routed != null ? routed : fallback;
    }

    private String nextEndpoint(String failed, AttemptFailure failure, int shard) {
      String hinted = failure.leaderEndpoint();
      if (hinted != null && !hinted.equals(failed) && channels.isKnownOrAllowed(hinted)) {
        router.noteLeader(shard, hinted);
        return hinted;
      }
      String next = nextOf(failed);
      preferredEndpoint = next;
      return next;
    }
  }

  /** The configured endpoint after {@code endpoint}, in a ring. */
  private String nextOf(String endpoint) {
    List<String> endpoints = config.endpoints();
    return endpoints.get((endpoints.indexOf(endpoint) + 1) % endpoints.size());
  }
}
