package ringkv.server.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a call's start and every later event of it from the Netty event loop to a thread pool,
 * in order, with the call's gRPC {@link Context}.
 *
 * <p>The API server runs on the event loop ({@code directExecutor}) because the KV calls never
 * block; the services that may block (Admin: a drain waits for leaderships to move) or that we
 * do not control (health, reflection) are wrapped with this, so that they never hold up the
 * event loop's other connections. One sequential executor per call keeps gRPC's rule that a
 * call's events are delivered one at a time and in order.
 */
final class BlockingCallOffload implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingCallOffload.class);
  private final Executor pool;

  BlockingCallOffload(Executor pool) {
    this.pool = pool;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    Executor inOrder = MoreExecutors.newSequentialExecutor(pool);
    Context context = Context.current();
    OffloadedListener<ReqT> listener = new OffloadedListener<>(call, inOrder, context);
    inOrder.execute(context.wrap(() -> {
      try {
        listener.delegate = next.startCall(call, headers);
      } catch (RuntimeException e) {
        failCall(call, e);
      }
    }));
    return listener;
  }

  /**
   * What gRPC does when a handler throws on its own executor, which it cannot see happen here:
   * the call fails with UNKNOWN (unless the handler closed it already).
   */
  private static void failCall(ServerCall<?, ?> call, RuntimeException e) {
    LOG.warn("{} failed in its handler", call.getMethodDescriptor().getFullMethodName(), e);
    try {
      call.close(Status.UNKNOWN.withDescription("Application error processing RPC").withCause(e), new Metadata());
    } catch (IllegalStateException alreadyClosed) {
      // the handler closed the call before it threw
    }
  }

  /** Hands each event to the call's sequential executor; the first task there set the delegate. */
  private static final class OffloadedListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final ServerCall<ReqT, ?> call;
    private final Executor inOrder;
    private final Context context;
    // written by the call's first task; read only by its later tasks, which the sequential
    // executor runs after it (its queue orders them)
    private volatile ServerCall.@Nullable Listener<ReqT> delegate;

    OffloadedListener(ServerCall<ReqT, ?> call, Executor inOrder, Context context) {
      this.call = call;
      this.inOrder = inOrder;
      this.context = context;
    }

    private void later(Consumer<ServerCall.Listener<ReqT>> event) {
      inOrder.execute(context.wrap(() -> {
        ServerCall.Listener<ReqT> target = delegate;
        if (target == null) {
          return; // startCall threw, and the call is closed
        }
        try {
          event.accept(target);
        } catch (RuntimeException e) {
          failCall(call, e);
        }
      }));
    }

    @Override
    public void onMessage(ReqT message) {
      later(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      later(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
      later(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
      later(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
      later(ServerCall.Listener::onReady);
    }
  }
}
