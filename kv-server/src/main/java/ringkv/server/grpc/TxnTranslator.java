package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ringkv.api.v1.Compare;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.DeleteResponse;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.RequestOp;
import ringkv.api.v1.ResponseHeader;
import ringkv.api.v1.ResponseOp;
import ringkv.api.v1.TxnCompare;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnRequest;
import ringkv.api.v1.TxnResponse;
import ringkv.api.v1.TxnResult;
import ringkv.api.v1.TxnStep;
import ringkv.api.v1.TxnStepResult;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.routing.Route;
import ringkv.server.routing.ShardResolver;

/**
 * Turns a {@link TxnRequest} into the log's {@link TxnOp} (every key resolved to its partition,
 * all in one shard) and the applied {@link TxnResult} back into a {@link TxnResponse}.
 */
final class TxnTranslator {
  /** Most compares plus ops one Txn may hold (DESIGN.md: batches <= 1,000 operations). */
  static final int MAX_TXN_OPS = 1_000;

  private final RequestValidator validator;
  private final ShardResolver resolver;

  TxnTranslator(RequestValidator validator, ShardResolver resolver) {
    this.validator = validator;
    this.resolver = resolver;
  }

  /** The route shared by every key of the request, and the command to submit. */
  record Translated(Route route, TxnOp op) {}

  Translated translate(TxnRequest request) {
    int ops = request.getCompareCount() + request.getSuccessCount() + request.getFailureCount();
    if (ops == 0) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "txn", MAX_TXN_OPS, "a Txn needs at least one compare or op");
    }
    if (ops > MAX_TXN_OPS) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "txn", MAX_TXN_OPS,
          "a Txn holds " + ops + " compares and ops; the limit is " + MAX_TXN_OPS);
    }
    Map<ByteString, Route> routes = new LinkedHashMap<>();
    TxnOp.Builder op = TxnOp.newBuilder();
    for (Compare compare : request.getCompareList()) {
      op.addCompares(TxnCompare.newBuilder().setPartition(route(compare.getKey(), request.getEpoch(), routes).partition()).setCompare(compare));
    }
    for (RequestOp step : request.getSuccessList()) {
      op.addSuccess(step(step, request.getEpoch(), routes));
    }
    for (RequestOp step : request.getFailureList()) {
      op.addFailure(step(step, request.getEpoch(), routes));
    }
    Map<ShardId, List<ByteString>> byShard = routes.entrySet().stream().collect(Collectors.groupingBy(
        e -> e.getValue().shard(), LinkedHashMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    if (byShard.size() > 1) {
      String where = byShard.entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue().stream().limit(5).map(TxnTranslator::printable).collect(Collectors.joining(", ")))
          .collect(Collectors.joining("; "));
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "txn.keys", 1,
          "all keys of a Txn must live in one shard, these span " + byShard.size() + " (" + where
              + "); put related keys under one hash tag, e.g. {user42}:cart and {user42}:profile");
    }
    return new Translated(routes.values().iterator().next(), op.build());
  }

  private TxnStep step(RequestOp step, long epoch, Map<ByteString, Route> routes) {
    return switch (step.getRequestCase()) {
      case PUT -> {
        validator.checkValue(step.getPut().getValue());
        int partition = route(step.getPut().getKey(), epoch, routes).partition();
        yield TxnStep.newBuilder().setPut(PutOp.newBuilder().setPartition(partition).setKey(step.getPut().getKey())
            .setValue(step.getPut().getValue()).setPrevKv(step.getPut().getPrevKv())).build();
      }
      case DELETE -> TxnStep.newBuilder().setDelete(DeleteOp.newBuilder()
          .setPartition(route(step.getDelete().getKey(), epoch, routes).partition())
          .setKey(step.getDelete().getKey()).setPrevKv(step.getDelete().getPrevKv())).build();
      case GET -> TxnStep.newBuilder().setGet(GetQuery.newBuilder()
          .setPartition(route(step.getGet().getKey(), epoch, routes).partition()).setKey(step.getGet().getKey())).build();
      case REQUEST_NOT_SET -> throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "txn.op", 0, "a Txn op names no operation");
    };
  }

  private Route route(ByteString key, long epoch, Map<ByteString, Route> routes) {
    validator.checkKey(key);
    return routes.computeIfAbsent(key, k -> resolver.resolve(k, epoch));
  }

  static TxnResponse response(ResponseHeader header, TxnResult result) {
    List<ResponseOp> responses = new ArrayList<>();
    for (TxnStepResult step : result.getResultsList()) {
      responses.add(switch (step.getResultCase()) {
        case PUT -> {
          PutResponse.Builder put = PutResponse.newBuilder().setHeader(header);
          if (step.getPut().hasPrevKv()) {
            put.setPrevKv(step.getPut().getPrevKv());
          }
          yield ResponseOp.newBuilder().setPut(put).build();
        }
        case DELETE -> {
          DeleteResponse.Builder delete = DeleteResponse.newBuilder().setHeader(header).setDeleted(step.getDelete().getDeleted());
          if (step.getDelete().hasPrevKv()) {
            delete.setPrevKv(step.getDelete().getPrevKv());
          }
          yield ResponseOp.newBuilder().setDelete(delete).build();
        }
        case GET -> {
          GetResponse.Builder get = GetResponse.newBuilder().setHeader(header).setFound(step.getGet().getFound());
          if (step.getGet().getFound()) {
            get.setKv(step.getGet().getKv());
          }
          yield ResponseOp.newBuilder().setGet(get).build();
        }
        case RESULT_NOT_SET -> throw new IllegalStateException("txn step result without an outcome");
      });
    }
    return TxnResponse.newBuilder().setHeader(header).setSucceeded(result.getSucceeded()).addAllResponses(responses).build();
  }

  /** A key for an error message: text when printable, else hex; long keys cut. */
  static String printable(ByteString key) {
    ByteString shown = key.size() > 40 ? key.substring(0, 40) : key;
    boolean text = shown.toStringUtf8().chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    String body = text ? "'" + shown.toStringUtf8() + "'" : "0x" + com.google.common.io.BaseEncoding.base16().lowerCase().encode(shown.toByteArray());
    return key.size() > 40 ? body + "..." : body;
  }
}
