package ringkv.client.internal;

import ringkv.api.v1.DeleteResponse;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.ResponseHeader;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.PutResult;
import ringkv.client.ResponseMeta;

/** Turns wire responses into the client's result records. */
final class Results {
  private Results() {}

  static PutResult of(PutResponse r) {
    return new PutResult(meta(r.getHeader()), r.hasPrevKv() ? keyValue(r.getPrevKv()) : null);
  }

  static GetResult of(GetResponse r) {
    return new GetResult(meta(r.getHeader()), r.getFound() ? keyValue(r.getKv()) : null);
  }

  static DeleteResult of(DeleteResponse r) {
    return new DeleteResult(meta(r.getHeader()), r.getDeleted(), r.hasPrevKv() ? keyValue(r.getPrevKv()) : null);
  }

  static ringkv.client.BatchResult of(ringkv.api.v1.BatchResponse r, java.util.List<com.google.protobuf.ByteString> keys) {
    java.util.List<ringkv.client.BatchResult.Item> items = new java.util.ArrayList<>();
    for (int i = 0; i < r.getItemsCount(); i++) {
      var s = r.getItems(i);
      items.add(new ringkv.client.BatchResult.Item(keys.get(i), s.getOk(), s.getRevision(), s.getShardId(), s.getMessage(), s.getDeleted()));
    }
    return new ringkv.client.BatchResult(meta(r.getHeader()), items);
  }

  static ResponseMeta meta(ResponseHeader h) {
    return new ResponseMeta(h.getRevision(), h.getShardId(), h.getEpoch(), h.getLeaderHint(), h.getNodeId());
  }

  static KeyValue keyValue(ringkv.api.v1.KeyValue kv) {
    return new KeyValue(kv.getKey(), kv.getValue(), kv.getCreateRevision(), kv.getModRevision(), kv.getVersion());
  }
}
