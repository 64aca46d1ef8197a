package ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutRequest;
import ringkv.server.grpc.RequestContextInterceptor;
import ringkv.server.testing.MiniCluster;

/** Every API call has a request id: the caller's x-request-id, or a new one, echoed in the reply headers. */
class RequestIdIT {
  @Test
  void callersRequestId_isKept_andACallWithoutOne_getsAFreshId() {
    try (MiniCluster cluster = MiniCluster.builder().nodes(1).replication(1).start()) {
      ManagedChannel channel = Grpc.newChannelBuilder(cluster.apiEndpoint(0), InsecureChannelCredentials.create()).build();
      try {
        assertThat(put(channel, "client-chosen-42")).isEqualTo("client-chosen-42");
        String fresh = put(channel, null);
        assertThat(fresh).matches("[0-9a-f]{16}");
        assertThat(put(channel, null)).isNotEqualTo(fresh);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static String put(ManagedChannel channel, String requestId) {
    Metadata sent = new Metadata();
    if (requestId != null) {
      sent.put(RequestContextInterceptor.REQUEST_ID, requestId);
    }
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    KVGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent), MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build());
    return headers.get().get(RequestContextInterceptor.REQUEST_ID);
  }
}
