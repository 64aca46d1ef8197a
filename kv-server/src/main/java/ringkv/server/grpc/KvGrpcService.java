package ringkv.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.concurrent.ScheduledExecutorService;
import ringkv.api.v1.Command;
import ringkv.api.v1.Consistency;
import ringkv.api.v1.CommandResult;
import ringkv.api.v1.DeleteOp;
import ringkv.api.v1.DeleteRequest;
import ringkv.api.v1.DeleteResponse;
import ringkv.api.v1.GetQuery;
import ringkv.api.v1.GetRequest;
import ringkv.api.v1.GetResponse;
import ringkv.api.v1.KVGrpc;
import ringkv.api.v1.PutOp;
import ringkv.api.v1.PutRequest;
import ringkv.api.v1.PutResponse;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ResponseHeader;
import ringkv.api.v1.BatchDeleteRequest;
import ringkv.api.v1.BatchPutRequest;
import ringkv.api.v1.BatchResponse;
import ringkv.api.v1.DeleteRangeRequest;
import ringkv.api.v1.DeleteRangeResponse;
import ringkv.api.v1.ScanRequest;
import ringkv.api.v1.ScanResponse;
import ringkv.api.v1.TxnRequest;
import ringkv.api.v1.TxnResponse;
import ringkv.router.ShardId;
import ringkv.api.v1.NodeInfo;
import ringkv.server.NodeMetrics;
import ringkv.server.config.RequestLimits;
import ringkv.server.groups.HostedGroups;
import ringkv.server.routing.CommandSubmitter;
import ringkv.server.routing.Route;
import ringkv.server.routing.ShardResolver;

/** The public {@code KV} service: validate, resolve the shard, submit, answer. */
public final class KvGrpcService extends KVGrpc.KVImplBase {
  private final RequestValidator validator;
  private final ShardResolver resolver;
  private final CommandSubmitter submitter;
  private final HostedGroups groups;
  private final NodeMetrics metrics;
  private final StatusMapper statusMapper = new StatusMapper();
  private final TxnTranslator txns;
  private final ScheduledExecutorService timer;
  private final ScanService scans;
  private final BatchService batches;

  public KvGrpcService(RequestLimits limits, ShardResolver resolver, CommandSubmitter submitter, HostedGroups groups, NodeMetrics metrics,
      ScheduledExecutorService timer) {
    this.validator = new RequestValidator(limits);
    this.resolver = resolver;
    this.submitter = submitter;
    this.groups = groups;
    this.metrics = metrics;
    this.txns = new TxnTranslator(validator, resolver);
    this.timer = timer;
    this.scans = new ScanService(groups.view(), submitter);
    this.batches = new BatchService(validator, resolver, submitter, statusMapper);
  }

  @Override
  public void batchPut(BatchPutRequest request, StreamObserver<BatchResponse> response) {
    metrics.request("batch_put");
    answer(response, () -> batches.put(request));
  }

  @Override
  public void batchDelete(BatchDeleteRequest request, StreamObserver<BatchResponse> response) {
    metrics.request("batch_delete");
    answer(response, () -> batches.delete(request));
  }

  @Override
  public void scan(ScanRequest request, StreamObserver<ScanResponse> response) {
    metrics.request("scan");
    answer(response, () -> scans.scan(request));
  }

  @Override
  public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> response) {
    metrics.request("delete_range");
    answer(response, () -> scans.deleteRange(request));
  }

  /** Runs a multi-shard operation and maps its outcome or failure. */
  private <R> void answer(StreamObserver<R> response, java.util.function.Supplier<CompletableFuture<R>> call) {
    CompletableFuture<R> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      response.onError(statusMapper.toStatus(e, resolver.epoch(), null));
      return;
    }
    future.whenComplete((result, error) -> {
      if (error != null) {
        response.onError(statusMapper.toStatus(error, resolver.epoch(), null));
      } else {
        response.onNext(result);
        response.onCompleted();
      }
    });
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> response) {
    TxnTranslator.Translated[] translated = new TxnTranslator.Translated[1];
    write("txn", response, () -> {
      translated[0] = txns.translate(request);
      return translated[0].route();
    }, route -> Command.newBuilder()
        .setWriteId(request.getWriteId())
        .setEpoch(route.epoch())
        .setTxn(translated[0].op())
        .build(), (route, result) -> TxnTranslator.response(header(route, result.getRevision()), result.getTxn()));
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> response) {
    write("put", response, () -> {
      validator.checkKey(request.getKey());
      validator.checkValue(request.getValue());
      return resolver.resolve(request.getKey(), request.getEpoch());
    }, route -> Command.newBuilder()
        .setWriteId(request.getWriteId())
        .setEpoch(route.epoch())
        .setPut(PutOp.newBuilder().setPartition(route.partition()).setKey(request.getKey())
            .setValue(request.getValue()).setPrevKv(request.getPrevKv()))
        .build(), (route, result) -> {
          PutResponse.Builder reply = PutResponse.newBuilder().setHeader(header(route, result.getRevision()));
          if (result.getPut().hasPrevKv()) {
            reply.setPrevKv(result.getPut().getPrevKv());
          }
          return reply.build();
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
    write("delete", response, () -> {
      validator.checkKey(request.getKey());
      return resolver.resolve(request.getKey(), request.getEpoch());
    }, route -> Command.newBuilder()
        .setWriteId(request.getWriteId())
        .setEpoch(route.epoch())
        .setDelete(DeleteOp.newBuilder().setPartition(route.partition()).setKey(request.getKey())
            .setPrevKv(request.getPrevKv()))
        .build(), (route, result) -> {
          DeleteResponse.Builder reply = DeleteResponse.newBuilder()
              .setHeader(header(route, result.getRevision()))
              .setDeleted(result.getDelete().getDeleted());
          if (result.getDelete().hasPrevKv()) {
            reply.setPrevKv(result.getDelete().getPrevKv());
          }
          return reply.build();
        });
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> response) {
    Route route;
    try {
      validator.checkKey(request.getKey());
      validator.checkConsistency(request.getConsistency(), request.getMinRevision());
      route = resolver.resolve(request.getKey(), request.getEpoch());
      count("get", route);
    } catch (RuntimeException e) {
      response.onError(statusMapper.toStatus(e, resolver.epoch(), null));
      return;
    }
    ReadQuery query = ReadQuery.newBuilder()
        .setGet(GetQuery.newBuilder().setPartition(route.partition()).setKey(request.getKey()))
        .build();
    boolean local = request.getConsistency() == Consistency.SERIALIZABLE || request.getMinRevision() > 0;
    var read = local
        ? submitter.readLocal(route.shard(), query, request.getMinRevision(), timer)
        : submitter.read(route.shard(), query);
    read.whenComplete((result, error) -> {
      if (error != null) {
        response.onError(statusMapper.toStatus(error, route.epoch(), leader(route.shard())));
        return;
      }
      if (result.hasRejected()) {
        response.onError(statusMapper.rejected(result.getRejected(), route.epoch(), leader(route.shard())));
        return;
      }
      GetResponse.Builder reply = GetResponse.newBuilder()
          .setHeader(header(route, result.getRevision()))
          .setFound(result.getGet().getFound());
      if (result.getGet().getFound()) {
        reply.setKv(result.getGet().getKv());
      }
      response.onNext(reply.build());
      response.onCompleted();
    });
  }

  private interface RouteStep {
    Route validateAndResolve();
  }

  private interface ReplyStep<R> {
    R reply(Route route, CommandResult result);
  }

  /** The shared shape of a write: validate, resolve, submit, map a rejection or reply. */
  private <R> void write(String op, StreamObserver<R> response, RouteStep resolve, Function<Route, Command> command, ReplyStep<R> reply) {
    Route route;
    Command built;
    try {
      route = resolve.validateAndResolve();
      count(op, route);
      built = command.apply(route);
    } catch (RuntimeException e) {
      response.onError(statusMapper.toStatus(e, resolver.epoch(), null));
      return;
    }
    CompletableFuture<CommandResult> submitted;
    try {
      submitted = submitter.submit(route.shard(), built);
    } catch (RuntimeException e) {
      response.onError(statusMapper.toStatus(e, route.epoch(), leader(route.shard())));
      return;
    }
    submitted.whenComplete((result, error) -> {
      if (error != null) {
        response.onError(statusMapper.toStatus(error, route.epoch(), leader(route.shard())));
      } else if (result.hasRejected()) {
        response.onError(statusMapper.rejected(result.getRejected(), route.epoch(), leader(route.shard())));
      } else {
        response.onNext(reply.reply(route, result));
        response.onCompleted();
      }
    });
  }

  private void count(String op, Route route) {
    metrics.request(op);
    if (!groups.isLocalLeader(route.shard())) {
      metrics.forwarded(op);
    }
  }

  private ResponseHeader header(Route route, long revision) {
    ResponseHeader.Builder header = ResponseHeader.newBuilder()
        .setRevision(revision)
        .setShardId(route.shard().value())
        .setEpoch(route.epoch())
        .setNodeId(groups.self().value());
    NodeInfo leader = leader(route.shard());
    if (leader != null) {
      header.setLeaderHint(leader.getId()).setLeaderEndpoint(leader.getHost() + ":" + leader.getApiPort());
    }
    return header.build();
  }

  private NodeInfo leader(ShardId shard) {
    return groups.leaderOf(shard).orElse(null);
  }
}
