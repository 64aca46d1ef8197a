package ringkv.server.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Gives every API call a request id, for the logs: the caller's {@code x-request-id} header if it
 * sent one (so a client's id follows the request), else a new 16-hex-digit id. The id and the
 * method are in the SLF4J MDC ({@code request_id}, {@code op}) while gRPC runs the call's
 * handlers on its threads, and the id goes back in the {@code x-request-id} response header.
 */
public final class RequestContextInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final int MAX_ID_LENGTH = 64;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String sent = headers.get(REQUEST_ID);
    String requestId = sent != null && !sent.isBlank() && sent.length() <= MAX_ID_LENGTH
        ? sent : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    String op = call.getMethodDescriptor().getBareMethodName();
    ServerCall<Q, R> tagged = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(REQUEST_ID, requestId);
        super.sendHeaders(responseHeaders);
      }
    };
    ServerCall.Listener<Q> listener = inContext(requestId, op, () -> next.startCall(tagged, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        inContext(requestId, op, () -> {
          super.onMessage(message);
          return null;
        });
      }

      @Override
      public void onHalfClose() {
        inContext(requestId, op, () -> {
          super.onHalfClose();
          return null;
        });
      }

      @Override
      public void onCancel() {
        inContext(requestId, op, () -> {
          super.onCancel();
          return null;
        });
      }

      @Override
      public void onComplete() {
        inContext(requestId, op, () -> {
          super.onComplete();
          return null;
        });
      }
    };
  }

  private static <T> T inContext(String requestId, String op, java.util.function.Supplier<T> body) {
    MDC.put("request_id", requestId);
    MDC.put("op", op);
    try {
      return body.get();
    } finally {
      MDC.remove("request_id");
      MDC.remove("op");
    }
  }
}
