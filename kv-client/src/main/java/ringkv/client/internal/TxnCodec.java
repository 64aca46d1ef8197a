package ringkv.client.internal;

import java.util.ArrayList;
import java.util.List;
import ringkv.api.v1.Compare;
import ringkv.api.v1.DeleteRequest;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.RequestOp;
import ringkv.api.v1.ResponseOp;
import ringkv.api.v1.TxnRequest;
import ringkv.api.v1.TxnResponse;
import ringkv.api.v1.WriteId;
import ringkv.client.CasResult;
import ringkv.client.Condition;
import ringkv.client.GetResult;
import ringkv.client.KeyValue;
import ringkv.client.Txn;
import ringkv.client.TxnOp;
import ringkv.client.TxnResult;

/** Converts the client's {@link Txn} to the wire and back, and builds the CAS shortcuts. */
final class TxnCodec {
  private TxnCodec() {}

  static TxnRequest request(Txn txn, WriteId writeId) {
    TxnRequest.Builder request = TxnRequest.newBuilder().setWriteId(writeId);
    txn.conditions().forEach(c -> request.addCompare(compare(c)));
    txn.then().forEach(op -> request.addSuccess(op(op)));
    txn.otherwise().forEach(op -> request.addFailure(op(op)));
    return request.build();
  }

  private static Compare compare(Condition c) {
    Compare.Builder compare = Compare.newBuilder().setKey(c.key())
        .setResult(Compare.CompareResult.valueOf(c.relation().name()));
    switch (c.target()) {
      case VERSION -> compare.setTarget(Compare.CompareTarget.VERSION).setVersion(c.number());
      case CREATE_REVISION -> compare.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(c.number());
      case MOD_REVISION -> compare.setTarget(Compare.CompareTarget.MOD).setModRevision(c.number());
      case VALUE -> compare.setTarget(Compare.CompareTarget.VALUE).setValue(c.value());
      case EXISTS -> compare.setTarget(Compare.CompareTarget.EXISTS).setExists(c.number() != 0);
    }
    return compare.build();
  }

  private static RequestOp op(TxnOp op) {
    // Java 17: no pattern matching in switch yet
    if (op instanceof TxnOp.Put put) {
      return RequestOp.newBuilder().setPut(PutRequest.newBuilder().setKey(put.key()).setValue(put.value())
          .setPrevKv(put.returnPrevious())).build();
    }
    if (op instanceof TxnOp.Get get) {
      return RequestOp.newBuilder().setGet(GetRequest.newBuilder().setKey(get.key())).build();
    }
    TxnOp.Delete delete = (TxnOp.Delete) op;
    return RequestOp.newBuilder().setDelete(DeleteRequest.newBuilder().setKey(delete.key())
        .setPrevKv(delete.returnPrevious())).build();
  }

  static TxnResult result(TxnResponse response) {
    List<Object> results = new ArrayList<>();
    for (ResponseOp op : response.getResponsesList()) {
      results.add(switch (op.getResponseCase()) {
        case PUT -> Results.of(op.getPut());
        case GET -> Results.of(op.getGet());
        case DELETE -> Results.of(op.getDelete());
        case RESPONSE_NOT_SET -> throw new IllegalStateException("txn response op without an answer");
      });
    }
    return new TxnResult(Results.meta(response.getHeader()), response.getSucceeded(), results);
  }

  /** A CAS answer from a Txn whose branches end with a get of the key (or nothing after a delete). */
  static CasResult casResult(TxnResult result) {
    KeyValue current = null;
    if (!result.results().isEmpty() && result.results().get(result.results().size() - 1) instanceof GetResult get) {
      current = get.kv();
    }
    return new CasResult(result.meta(), result.succeeded(), current);
  }
}
