package ringkv.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import ringkv.api.v1.Command;
import ringkv.api.v1.DeleteRangeOp;
import ringkv.api.v1.DeleteRangeRequest;
import ringkv.api.v1.DeleteRangeResponse;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.ErrorReasonCode;
import ringkv.api.v1.KeyValue;
import ringkv.api.v1.ReadQuery;
import ringkv.api.v1.ResponseHeader;
import ringkv.api.v1.ScanContinuation;
import ringkv.api.v1.ScanQuery;
import ringkv.api.v1.ScanRequest;
import ringkv.api.v1.ScanResponse;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.routing.ClusterMapView;
import ringkv.server.routing.CommandSubmitter;

/**
 * Scans and range deletes across shards. A key range crosses every shard (keys are hashed to
 * partitions), so each request fans out to all shards: each shard answers its part
 * linearizably, and the node merges the parts in key order. Consistency: each shard's part is
 * linearizable; the page as a whole is not one global snapshot. The continuation is the last key
 * returned, so a scan resumes correctly on any node and across leader changes.
 */
final class ScanService {
  static final int DEFAULT_LIMIT = 1_000;
  static final int MAX_LIMIT = 10_000;
  private static final Comparator<ByteString> KEYS = ByteString.unsignedLexicographicalComparator();

  private final ClusterMapView view;
  private final CommandSubmitter submitter;

  ScanService(ClusterMapView view, CommandSubmitter submitter) {
    this.view = view;
    this.submitter = submitter;
  }

  CompletableFuture<ScanResponse> scan(ScanRequest request) {
    if (request.getLimit() < 0 || request.getLimit() > MAX_LIMIT) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "limit", MAX_LIMIT,
          "limit must be between 0 (default " + DEFAULT_LIMIT + ") and " + MAX_LIMIT + ", got " + request.getLimit());
    }
    int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : (int) request.getLimit();
    KeyRange range = KeyRange.of(request.getStart(), request.getEnd(), request.getPrefix());
    if (!request.getContinuation().isEmpty()) {
      range = range.after(continuation(request.getContinuation()), request.getReverse());
    }
    ClusterMapView.Snapshot map = placedMap();
    if (range.isEmpty()) {
      return CompletableFuture.completedFuture(ScanResponse.newBuilder().setHeader(header(map, 0)).build());
    }
    ReadQuery query = ReadQuery.newBuilder().setScan(ScanQuery.newBuilder().setStart(range.start()).setEnd(range.end())
        .setLimit(limit).setKeysOnly(request.getKeysOnly()).setReverse(request.getReverse())).build();
    List<CompletableFuture<ringkv.api.v1.ReadResult>> parts = new ArrayList<>();
    for (ShardId shard : map.shards()) {
      parts.add(submitter.read(shard, query));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<KeyValue> merged = new ArrayList<>();
      boolean more = false;
      long revision = 0;
      for (var part : parts) {
        var result = part.join();
        if (result.hasRejected()) {
          // a shard's partition is frozen for a move: the client refreshes its map and retries
          throw new RequestFailedException(ErrorReason.PARTITION_MOVED, result.getRejected().getMessage(), false);
        }
        merged.addAll(result.getScan().getKvsList());
        more |= result.getScan().getMore();
        revision = Math.max(revision, result.getRevision());
      }
      Comparator<KeyValue> order = Comparator.comparing(KeyValue::getKey, request.getReverse() ? KEYS.reversed() : KEYS);
      merged.sort(order);
      if (merged.size() > limit) {
        merged = merged.subList(0, limit);
        more = true;
      }
      ScanResponse.Builder response = ScanResponse.newBuilder().setHeader(header(map, revision)).addAllKvs(merged);
      if (more && !merged.isEmpty()) {
        response.setContinuation(ScanContinuation.newBuilder().setAfterKey(merged.get(merged.size() - 1).getKey()).build().toByteString());
      }
      return response.build();
    });
  }

  CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
    KeyRange range = KeyRange.of(request.getStart(), request.getEnd(), request.getPrefix());
    if (range.start().isEmpty()) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "start", 0,
          "DeleteRange needs a start or a prefix (to delete every key, use start = 0x00)");
    }
    ClusterMapView.Snapshot map = placedMap();
    Command command = Command.newBuilder().setWriteId(request.getWriteId()).setEpoch(map.epoch())
        .setDeleteRange(DeleteRangeOp.newBuilder().setStart(range.start()).setEnd(range.end())).build();
    List<CompletableFuture<ringkv.api.v1.CommandResult>> parts = new ArrayList<>();
    for (ShardId shard : map.shards()) {
      // The same write id in every shard: each shard deduplicates its own part of a retry.
      parts.add(submitter.submit(shard, command));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      long deleted = 0;
      long revision = 0;
      for (var part : parts) {
        var result = part.join();
        if (result.hasRejected()) {
          // other shards may have deleted their part: a retry with the same write id is deduplicated there
          ErrorReason reason = result.getRejected().getReason() == ErrorReasonCode.REJECT_PARTITION_NOT_OWNED
              ? ErrorReason.PARTITION_MOVED : ErrorReason.SESSION_EXPIRED;
          throw new RequestFailedException(reason, result.getRejected().getMessage(), true);
        }
        deleted += result.getDeleteRange().getDeleted();
        revision = Math.max(revision, result.getRevision());
      }
      return DeleteRangeResponse.newBuilder().setHeader(header(map, revision)).setDeleted(deleted).build();
    });
  }

  private ClusterMapView.Snapshot placedMap() {
    ClusterMapView.Snapshot map = view.current();
    if (map == null || !map.isPlaced()) {
      throw new RequestFailedException(ErrorReason.NODE_NOT_READY, "shards are not placed yet", false);
    }
    return map;
  }

  private static ByteString continuation(ByteString token) {
    try {
      ByteString key = ScanContinuation.parseFrom(token).getAfterKey();
      if (key.isEmpty()) {
        throw new InvalidProtocolBufferException("no key");
      }
      return key;
    } catch (InvalidProtocolBufferException e) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "continuation", 0,
          "continuation is not one this server issued; pass back the bytes of the previous ScanResponse");
    }
  }

  /** A scan spans shards: the header names no shard, and revision is the highest part's. */
  private static ResponseHeader header(ClusterMapView.Snapshot map, long revision) {
    return ResponseHeader.newBuilder().setEpoch(map.epoch()).setRevision(revision).build();
  }
}
