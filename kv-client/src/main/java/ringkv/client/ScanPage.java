package ringkv.client;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * One page of a {@link Scan}.
 *
 * @param continuation non-empty when more keys may follow; give it to {@link Scan#after}
 */
public record ScanPage(ResponseMeta meta, List<KeyValue> kvs, ByteString continuation) {
  public ScanPage {
    kvs = List.copyOf(kvs);
  }

  public boolean hasMore() {
    return !continuation.isEmpty();
  }
}
