package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import ringkv.api.v1.BatchDeleteRequest;
import ringkv.api.v1.BatchPutRequest;
import ringkv.api.v1.BatchResponse;
import ringkv.api.v1.Command;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.ItemStatus;
import ringkv.api.v1.KeyValuePair;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.ResponseHeader;
import ringkv.api.v1.TxnOp;
import ringkv.api.v1.TxnStep;
import ringkv.api.v1.WriteId;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.routing.CommandSubmitter;
import ringkv.server.routing.Route;
import ringkv.server.routing.ShardResolver;

/**
 * Batches: items are grouped by shard, and each shard's group is one transaction without
 * conditions, so it applies atomically in that shard; groups of different shards succeed or
 * fail independently, which the per-item status reports.
 */
final class BatchService {
  static final int MAX_ITEMS = 1_000;
  static final long MAX_BYTES = 4L << 20;

  private final RequestValidator validator;
  private final ShardResolver resolver;
  private final CommandSubmitter submitter;
  private final StatusMapper statusMapper;

  BatchService(RequestValidator validator, ShardResolver resolver, CommandSubmitter submitter, StatusMapper statusMapper) {
    this.validator = validator;
    this.resolver = resolver;
    this.submitter = submitter;
    this.statusMapper = statusMapper;
  }

  CompletableFuture<BatchResponse> put(BatchPutRequest request) {
    long bytes = 0;
    List<TxnStep> steps = new ArrayList<>();
    List<ByteString> keys = new ArrayList<>();
    for (KeyValuePair item : request.getItemsList()) {
      validator.checkKey(item.getKey());
      validator.checkValue(item.getValue());
      bytes += item.getKey().size() + item.getValue().size();
      keys.add(item.getKey());
    }
    checkLimits(keys.size(), bytes);
    List<Route> routes = keys.stream().map(k -> resolver.resolve(k, request.getEpoch())).toList();
    for (int i = 0; i < keys.size(); i++) {
      steps.add(TxnStep.newBuilder().setPut(PutOp.newBuilder().setPartition(routes.get(i).partition())
          .setKey(keys.get(i)).setValue(request.getItems(i).getValue())).build());
    }
    return run(routes, steps, request.getWriteId());
  }

  CompletableFuture<BatchResponse> delete(BatchDeleteRequest request) {
    long bytes = 0;
    for (ByteString key : request.getKeysList()) {
      validator.checkKey(key);
      bytes += key.size();
    }
    checkLimits(request.getKeysCount(), bytes);
    List<Route> routes = request.getKeysList().stream().map(k -> resolver.resolve(k, request.getEpoch())).toList();
    List<TxnStep> steps = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      steps.add(TxnStep.newBuilder().setDelete(DeleteOp.newBuilder().setPartition(routes.get(i).partition())
          .setKey(request.getKeys(i))).build());
    }
    return run(routes, steps, request.getWriteId());
  }

  private static void checkLimits(int items, long bytes) {
    if (items == 0 || items > MAX_ITEMS) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "items", MAX_ITEMS,
          "a batch holds 1 to " + MAX_ITEMS + " items, got " + items);
    }
    if (bytes > MAX_BYTES) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "items", MAX_BYTES,
          "a batch holds at most " + MAX_BYTES + " bytes of keys and values, got " + bytes);
    }
  }

  private CompletableFuture<BatchResponse> run(List<Route> routes, List<TxnStep> steps, WriteId writeId) {
    Map<ShardId, List<Integer>> itemsByShard = new LinkedHashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      itemsByShard.computeIfAbsent(routes.get(i).shard(), s -> new ArrayList<>()).add(i);
    }
    ItemStatus[] statuses = new ItemStatus[routes.size()];
    List<CompletableFuture<Void>> groups = new ArrayList<>();
    for (Map.Entry<ShardId, List<Integer>> group : itemsByShard.entrySet()) {
      TxnOp.Builder txn = TxnOp.newBuilder();
      group.getValue().forEach(i -> txn.addSuccess(steps.get(i)));
      Command command = Command.newBuilder().setWriteId(writeId).setEpoch(routes.get(0).epoch()).setTxn(txn).build();
      ShardId shard = group.getKey();
      groups.add(submitter.submit(shard, command).handle((result, error) -> {
        fill(statuses, group.getValue(), shard, result, error);
        return null;
      }));
    }
    return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(v -> BatchResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setEpoch(routes.get(0).epoch()))
        .addAllItems(List.of(statuses)).build());
  }

  private void fill(ItemStatus[] statuses, List<Integer> items, ShardId shard, CommandResult result, Throwable error) {
    if (error == null && !result.hasRejected()) {
      for (int n = 0; n < items.size(); n++) {
        var step = result.getTxn().getResults(n);
        statuses[items.get(n)] = ItemStatus.newBuilder().setOk(true).setRevision(result.getRevision()).setShardId(shard.value())
            .setDeleted(step.hasDelete() && step.getDelete().getDeleted()).build();
      }
      return;
    }
    Status status = error != null ? statusMapper.toStatus(error, 0, null).getStatus()
        : Status.ABORTED.withDescription(result.getRejected().getMessage());
    for (int i : items) {
      statuses[i] = ItemStatus.newBuilder().setOk(false).setShardId(shard.value()).setCode(status.getCode().value())
          .setMessage(String.valueOf(status.getDescription())).build();
    }
  }
}
