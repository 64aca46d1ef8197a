package ringkv.client.internal;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import ringkv.api.v1.DeleteRequest;
import ringkv.api.v1.DeleteResponse;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.BatchDeleteRequest;
import ringkv.api.v1.BatchPutRequest;
import ringkv.api.v1.BatchResponse;
import ringkv.api.v1.KeyValuePair;
import ringkv.client.BatchResult;
import ringkv.api.v1.DeleteRangeRequest;
import ringkv.api.v1.DeleteRangeResponse;
import ringkv.api.v1.ScanRequest;
import ringkv.api.v1.ScanResponse;
import ringkv.client.Scan;
import ringkv.client.ScanPage;
import ringkv.api.v1.TxnRequest;
import ringkv.api.v1.TxnResponse;
import ringkv.api.v1.WriteId;
import ringkv.client.CasResult;
import ringkv.client.Condition;
import ringkv.client.Txn;
import ringkv.client.TxnOp;
import ringkv.client.TxnResult;
import java.util.ArrayList;
import java.util.List;
import ringkv.client.AsyncKvClient;
import ringkv.client.DeleteResult;
import ringkv.client.GetResult;
import ringkv.client.KvClientConfig;
import ringkv.client.KvException;
import ringkv.client.KvInvalidArgumentException;
import ringkv.client.PutResult;
import ringkv.client.ReadOptions;
import ringkv.api.v1.Consistency;
import ringkv.client.WriteOptions;

/** {@link AsyncKvClient} over gRPC with retries across nodes. See {@link RetryingCaller}. */
final class GrpcAsyncKvClient implements AsyncKvClient, AutoCloseable {
  private final KvClientConfig config;
  private final ChannelPool channels;
  private final ScheduledExecutorService scheduler;
  private final Router router;
  private final RetryingCaller caller;
  private final WriteSequencer sequencer;

  GrpcAsyncKvClient(KvClientConfig config) {
    this.config = config;
    this.channels = new ChannelPool(new LinkedHashSet<>(config.endpoints()));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ringkv-client-retry");
      t.setDaemon(true);
      return t;
    });
    Backoff backoff = new Backoff(config.retryBackoffBase(), config.retryBackoffMax(),
        bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.router = new Router(config.endpoints(), channels);
    this.caller = new RetryingCaller(config, channels, router, scheduler, backoff, System::nanoTime);
    this.sequencer = new WriteSequencer(new SecureRandom());
  }

  private GrpcAsyncKvClient(GrpcAsyncKvClient shared, RetryingCaller caller) {
    this.config = shared.config;
    this.channels = shared.channels;
    this.scheduler = shared.scheduler;
    this.router = shared.router;
    this.caller = caller;
    this.sequencer = shared.sequencer;
  }

  /**
   * This client for callers that block on every result ({@link GrpcKvClient}): the same channels,
   * router and write sequence, but a response completes its future on the network thread that
   * read it, which wakes the waiting caller directly instead of through a pool thread (a
   * hand-off less per call; docs/benchmarks.md, "Making it fast", step 11). Do not close the
   * view: it shares this client's channels and retry scheduler, so closing it would close them;
   * close this client.
   */
  GrpcAsyncKvClient completingOnNetworkThread() {
    return new GrpcAsyncKvClient(this, caller.respondingOn(MoreExecutors.directExecutor()));
  }

  @Override
  public CompletableFuture<PutResult> put(ByteString key, ByteString value, WriteOptions options) {
    try {
      checkKey(key);
      checkValue(value);
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    WriteId writeId = sequencer.next();
    PutRequest request = PutRequest.newBuilder()
        .setKey(key).setValue(value).setPrevKv(options.returnPrevious()).setWriteId(writeId).build();
    return caller.call("put", true, key, (stub, epoch) -> stub.put(request.toBuilder().setEpoch(epoch).build()), PutResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(Results::of);
  }

  @Override
  public CompletableFuture<GetResult> get(ByteString key, ReadOptions options) {
    try {
      checkKey(key);
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    GetRequest request = GetRequest.newBuilder().setKey(key)
        .setConsistency(options.consistency() == ReadOptions.Consistency.SERIALIZABLE ? Consistency.SERIALIZABLE : Consistency.LINEARIZABLE)
        .setMinRevision(options.minRevision())
        .build();
    return caller.call("get", false, key, (stub, epoch) -> stub.get(request.toBuilder().setEpoch(epoch).build()), GetResponse::getHeader)
        .thenApply(Results::of);
  }

  @Override
  public CompletableFuture<DeleteResult> delete(ByteString key, WriteOptions options) {
    try {
      checkKey(key);
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    WriteId writeId = sequencer.next();
    DeleteRequest request = DeleteRequest.newBuilder()
        .setKey(key).setPrevKv(options.returnPrevious()).setWriteId(writeId).build();
    return caller.call("delete", true, key, (stub, epoch) -> stub.delete(request.toBuilder().setEpoch(epoch).build()), DeleteResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(Results::of);
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn txn) {
    List<ByteString> keys = new ArrayList<>();
    txn.conditions().forEach(c -> keys.add(c.key()));
    txn.then().forEach(op -> keys.add(op.key()));
    txn.otherwise().forEach(op -> keys.add(op.key()));
    try {
      if (keys.isEmpty()) {
        throw invalid(ErrorReason.INVALID_FIELD, "a Txn needs at least one condition or op");
      }
      keys.forEach(this::checkKey);
      for (TxnOp op : txn.then()) {
        if (op instanceof TxnOp.Put put) {
          checkValue(put.value());
        }
      }
      for (TxnOp op : txn.otherwise()) {
        if (op instanceof TxnOp.Put put) {
          checkValue(put.value());
        }
      }
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    WriteId writeId = sequencer.next();
    TxnRequest request = TxnCodec.request(txn, writeId);
    return caller.call("txn", true, keys.get(0), (stub, epoch) -> stub.txn(request.toBuilder().setEpoch(epoch).build()), TxnResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(TxnCodec::result);
  }

  @Override
  public CompletableFuture<ScanPage> scan(Scan scan) {
    ScanRequest request = ScanRequest.newBuilder().setStart(scan.start()).setEnd(scan.end()).setPrefix(scan.prefix())
        .setLimit(scan.limit()).setKeysOnly(scan.keysOnly()).setReverse(scan.reverse()).setContinuation(scan.continuation()).build();
    ByteString routingKey = scan.prefix().isEmpty() ? scan.start() : scan.prefix();
    return caller.call("scan", false, routingKey, (stub, epoch) -> stub.scan(request), ScanResponse::getHeader)
        .thenApply(r -> new ScanPage(Results.meta(r.getHeader()), r.getKvsList().stream().map(Results::keyValue).toList(), r.getContinuation()));
  }

  @Override
  public CompletableFuture<BatchResult> batchPut(java.util.Map<ByteString, ByteString> items) {
    List<ByteString> keys = new ArrayList<>(items.keySet());
    try {
      if (keys.isEmpty()) {
        throw invalid(ErrorReason.INVALID_FIELD, "a batch needs at least one item");
      }
      keys.forEach(this::checkKey);
      items.values().forEach(this::checkValue);
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    WriteId writeId = sequencer.next();
    BatchPutRequest.Builder request = BatchPutRequest.newBuilder().setWriteId(writeId);
    items.forEach((k, v) -> request.addItems(KeyValuePair.newBuilder().setKey(k).setValue(v)));
    BatchPutRequest built = request.build();
    return caller.call("batchPut", true, keys.get(0), (stub, epoch) -> stub.batchPut(built.toBuilder().setEpoch(epoch).build()),
            BatchResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(r -> Results.of(r, keys));
  }

  @Override
  public CompletableFuture<BatchResult> batchDelete(List<ByteString> keys) {
    try {
      if (keys.isEmpty()) {
        throw invalid(ErrorReason.INVALID_FIELD, "a batch needs at least one item");
      }
      keys.forEach(this::checkKey);
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
    WriteId writeId = sequencer.next();
    BatchDeleteRequest request = BatchDeleteRequest.newBuilder().setWriteId(writeId).addAllKeys(keys).build();
    return caller.call("batchDelete", true, keys.get(0), (stub, epoch) -> stub.batchDelete(request.toBuilder().setEpoch(epoch).build()),
            BatchResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(r -> Results.of(r, keys));
  }

  @Override
  public CompletableFuture<Long> deleteRange(ByteString start, ByteString end) {
    return deleteRange(DeleteRangeRequest.newBuilder().setStart(start).setEnd(end), start);
  }

  @Override
  public CompletableFuture<Long> deletePrefix(ByteString prefix) {
    return deleteRange(DeleteRangeRequest.newBuilder().setPrefix(prefix), prefix);
  }

  private CompletableFuture<Long> deleteRange(DeleteRangeRequest.Builder builder, ByteString routingKey) {
    WriteId writeId = sequencer.next();
    DeleteRangeRequest request = builder.setWriteId(writeId).build();
    return caller.call("deleteRange", true, routingKey, (stub, epoch) -> stub.deleteRange(request.toBuilder().setEpoch(epoch).build()),
            DeleteRangeResponse::getHeader)
        .whenComplete((r, e) -> sequencer.complete(writeId.getSequence()))
        .thenApply(DeleteRangeResponse::getDeleted);
  }

  @Override
  public CompletableFuture<CasResult> putIfAbsent(ByteString key, ByteString value) {
    return cas(Txn.when(Condition.absent(key)).then(TxnOp.put(key, value), TxnOp.get(key)).otherwise(TxnOp.get(key)));
  }

  @Override
  public CompletableFuture<CasResult> compareAndSet(ByteString key, ByteString expectedValue, ByteString newValue) {
    return cas(Txn.when(Condition.valueEquals(key, expectedValue)).then(TxnOp.put(key, newValue), TxnOp.get(key)).otherwise(TxnOp.get(key)));
  }

  @Override
  public CompletableFuture<CasResult> compareAndSet(ByteString key, long expectedVersion, ByteString newValue) {
    return cas(Txn.when(Condition.versionEquals(key, expectedVersion)).then(TxnOp.put(key, newValue), TxnOp.get(key)).otherwise(TxnOp.get(key)));
  }

  @Override
  public CompletableFuture<CasResult> compareAndDelete(ByteString key, ByteString expectedValue) {
    return cas(Txn.when(Condition.valueEquals(key, expectedValue)).then(TxnOp.delete(key)).otherwise(TxnOp.get(key)));
  }

  private CompletableFuture<CasResult> cas(Txn txn) {
    return txn(txn).thenApply(TxnCodec::casResult);
  }

  @Override
  public void close() {
    channels.close();
    scheduler.shutdownNow();
  }

  private void checkKey(ByteString key) {
    if (key.isEmpty()) {
      throw invalid(ErrorReason.KEY_EMPTY, "key must not be empty");
    }
    if (key.size() > config.maxKeyBytes()) {
      throw invalid(ErrorReason.KEY_TOO_LARGE,
          "key is " + key.size() + " bytes; the limit is " + config.maxKeyBytes() + " bytes (maxKeyBytes)");
    }
  }

  private void checkValue(ByteString value) {
    if (value.size() > config.maxValueBytes()) {
      throw invalid(ErrorReason.VALUE_TOO_LARGE,
          "value is " + value.size() + " bytes; the limit is " + config.maxValueBytes() + " bytes (maxValueBytes)");
    }
  }

  static KvInvalidArgumentException invalid(ErrorReason reason, String message) {
    return new KvInvalidArgumentException(Status.Code.INVALID_ARGUMENT, reason, message, false, null);
  }

}
