package ringkv.server.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import ringkv.api.v1.ErrorReason;
import ringkv.server.RequestFailedException;

/**
 * Counts the KV calls in flight and, once {@link #close closed} by a drain, refuses new ones with
 * {@code UNAVAILABLE} / {@code NODE_STOPPING}, which clients retry on another node.
 *
 * <p>Implementation notes. A call is counted before the gate looks at {@link #closed}, and
 * uncounted if it is refused: so once {@link #close} has returned, every call that got past the
 * gate is in {@link #inFlight()}, and a drain that waits for zero misses none. A call leaves the
 * count once, when the server closes it or the client cancels it, whichever comes first. (gRPC
 * delivers a cancellation on the call's serialized executor, so a handler that blocked its thread
 * would hold it back; the KV handlers answer asynchronously.)
 */
public final class DrainGate implements ServerInterceptor {
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong finishedSinceClose = new AtomicLong();
  private final String nodeId;
  private final LongSupplier epoch;
  private final StatusMapper statusMapper = new StatusMapper();

  public DrainGate(String nodeId, LongSupplier epoch) {
    this.nodeId = nodeId;
    this.epoch = epoch;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    inFlight.incrementAndGet();
    if (closed.get()) {
      inFlight.decrementAndGet();
      StatusRuntimeException refusal = statusMapper.toStatus(new RequestFailedException(ErrorReason.NODE_STOPPING,
          "node " + nodeId + " is draining (about to stop); send the request to another node", false), epoch.getAsLong(), null);
      call.close(refusal.getStatus(), refusal.getTrailers() == null ? new Metadata() : refusal.getTrailers());
      return new ServerCall.Listener<>() { };
    }
    AtomicBoolean done = new AtomicBoolean();
    Runnable leave = () -> {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
        if (closed.get()) {
          finishedSinceClose.incrementAndGet();
        }
      }
    };
    ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        try {
          super.close(status, trailers);
        } finally {
          leave.run();
        }
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(counted, headers);
    } catch (RuntimeException e) {
      leave.run();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          leave.run();
        }
      }
    };
  }

  /** Refuses every later call; idempotent. */
  public void close() {
    closed.set(true);
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** KV calls the node is serving now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Calls that finished after {@link #close}: those that were in flight when the gate closed. */
  public long finishedSinceClose() {
    return finishedSinceClose.get();
  }
}
