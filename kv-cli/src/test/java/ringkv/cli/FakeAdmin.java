package ringkv.cli;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.MoveReplicaResponse;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RebalanceReplicasResponse;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.RemoveNodeResponse;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.api.v1.ReplicaSnapshot;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;

/**
 * A stand-in for the Admin service of every endpoint: answers with {@link ClusterFixtures} unless
 * told that an endpoint fails; remembers every call.
 */
final class FakeAdmin implements ClusterAdmin {
  /** One call: which RPC, on which endpoint, with which timeout. */
  record Call(String rpc, String endpoint, Duration timeout) {}

  final List<Call> calls = new ArrayList<>();
  final Map<String, RuntimeException> failures = new HashMap<>();
  GetClusterStatusResponse status = ClusterFixtures.status();
  GetClusterMapResponse map = ClusterFixtures.clusterMap();

  /** Maps that GetClusterMap answers first, one per call, in order; then {@link #map}. */
  final Deque<GetClusterMapResponse> maps = new ArrayDeque<>();

  /** How many of the next GetClusterMap calls fail with UNAVAILABLE, on every endpoint. */
  int failMapReads;

  /** How long a failing call takes before it throws. */
  Duration failAfter = Duration.ZERO;

  void fail(String endpoint, Status status) {
    failures.put(endpoint, status.asRuntimeException());
  }

  @Override
  public GetClusterStatusResponse clusterStatus(String endpoint, Duration timeout) {
    answer("GetClusterStatus", endpoint, timeout);
    return status;
  }

  @Override
  public GetClusterMapResponse clusterMap(String endpoint, Duration timeout) {
    answer("GetClusterMap", endpoint, timeout);
    if (failMapReads > 0) {
      failMapReads--;
      throw Status.UNAVAILABLE.withDescription("meta group electing").asRuntimeException();
    }
    return maps.isEmpty() ? map : maps.poll();
  }

  /** Snapshot requests received, in order; each answered by {@link #snapshotAnswer}. */
  final List<TakeSnapshotRequest> snapshotRequests = new ArrayList<>();
  java.util.function.Function<TakeSnapshotRequest, TakeSnapshotResponse> snapshotAnswer = request ->
      TakeSnapshotResponse.newBuilder()
          .addReplicas(ReplicaSnapshot.newBuilder().setNodeId("n1").setIndex(100))
          .addReplicas(ReplicaSnapshot.newBuilder().setNodeId("n2").setIndex(100))
          .build();

  @Override
  public TakeSnapshotResponse takeSnapshot(String endpoint, TakeSnapshotRequest request, Duration timeout) {
    answer("TakeSnapshot", endpoint, timeout);
    snapshotRequests.add(request);
    return snapshotAnswer.apply(request);
  }

  /** Leader transfer requests received, in order; each answered by {@link #transferAnswer}. */
  final List<TransferLeadershipRequest> transferRequests = new ArrayList<>();
  java.util.function.Function<TransferLeadershipRequest, TransferLeadershipResponse> transferAnswer =
      request -> TransferLeadershipResponse.newBuilder()
          .setPreviousLeaderId("n1")
          .setLeaderId(request.getToNodeId().isEmpty() ? "n2" : request.getToNodeId())
          .build();

  @Override
  public TransferLeadershipResponse transferLeadership(
      String endpoint, TransferLeadershipRequest request, Duration timeout) {
    answer("TransferLeadership", endpoint, timeout);
    transferRequests.add(request);
    return transferAnswer.apply(request);
  }

  /**
   * Replica move requests received, in order; each answered by {@link #moveAnswer}, by default the
   * fixture map with the move done (wait) or in flight, started at epoch 8 (no wait).
   */
  final List<MoveReplicaRequest> moveRequests = new ArrayList<>();
  java.util.function.Function<MoveReplicaRequest, MoveReplicaResponse> moveAnswer =
      request -> MoveReplicaResponse.newBuilder()
          .setMap(request.getWait() ? ClusterFixtures.moved(request) : ClusterFixtures.moving(request, 8))
          .build();

  @Override
  public MoveReplicaResponse moveReplica(
      String endpoint, MoveReplicaRequest request, Duration timeout) {
    answer("MoveReplica", endpoint, timeout);
    moveRequests.add(request);
    return moveAnswer.apply(request);
  }

  /**
   * Add shard requests received, in order; each answered by {@link #addAnswer}, by default shard 3
   * added with {@link ClusterFixtures#adding} 3 moves planned at epoch 8.
   */
  final List<AddShardRequest> addRequests = new ArrayList<>();
  java.util.function.Function<AddShardRequest, AddShardResponse> addAnswer =
      request -> AddShardResponse.newBuilder()
          .setMap(ClusterFixtures.adding(3, 8))
          .setShardId(ClusterFixtures.ADDED)
          .setPartitionsToMove(3)
          .build();

  @Override
  public AddShardResponse addShard(String endpoint, AddShardRequest request, Duration timeout) {
    answer("AddShard", endpoint, timeout);
    addRequests.add(request);
    return addAnswer.apply(request);
  }

  /**
   * Remove shard requests received, in order; each answered by {@link #removeAnswer}, by default
   * {@link ClusterFixtures#removing} shard 2 with 3 moves planned at epoch 8.
   */
  final List<RemoveShardRequest> removeRequests = new ArrayList<>();
  java.util.function.Function<RemoveShardRequest, RemoveShardResponse> removeAnswer =
      request -> RemoveShardResponse.newBuilder()
          .setMap(ClusterFixtures.removing(3, 8))
          .setPartitionsToMove(3)
          .build();

  @Override
  public RemoveShardResponse removeShard(
      String endpoint, RemoveShardRequest request, Duration timeout) {
    answer("RemoveShard", endpoint, timeout);
    removeRequests.add(request);
    return removeAnswer.apply(request);
  }

  /** Drain requests received, in order; each answered by {@link #drainAnswer} (drained by default). */
  final List<DrainNodeRequest> drainRequests = new ArrayList<>();
  java.util.function.Function<DrainNodeRequest, DrainNodeResponse> drainAnswer =
      request -> DrainNodeResponse.newBuilder()
          .setNodeId(request.getNodeId())
          .setDrained(true)
          .setLeadershipsMoved(2)
          .setRequestsFinished(7)
          .setElapsedMillis(1234)
          .build();

  @Override
  public DrainNodeResponse drainNode(String endpoint, DrainNodeRequest request, Duration timeout) {
    answer("DrainNode", endpoint, timeout);
    drainRequests.add(request);
    return drainAnswer.apply(request);
  }

  /**
   * Remove node requests received, in order; each answered by {@link #removeNodeAnswer}, by default
   * {@link ClusterFixtures#leaving} node n3 with its 2 replica moves at epoch 8.
   */
  final List<RemoveNodeRequest> removeNodeRequests = new ArrayList<>();
  java.util.function.Function<RemoveNodeRequest, RemoveNodeResponse> removeNodeAnswer =
      request -> RemoveNodeResponse.newBuilder()
          .setMap(ClusterFixtures.leaving(2, 8))
          .setReplicaMoves(2)
          .build();

  @Override
  public RemoveNodeResponse removeNode(String endpoint, RemoveNodeRequest request, Duration timeout) {
    answer("RemoveNode", endpoint, timeout);
    removeNodeRequests.add(request);
    return removeNodeAnswer.apply(request);
  }

  /**
   * Answers to RebalanceReplicas, one per call, in order; once they run out, the last map read
   * ({@link #map}) with no moves planned.
   */
  final Deque<RebalanceReplicasResponse> rebalanceAnswers = new ArrayDeque<>();

  @Override
  public RebalanceReplicasResponse rebalanceReplicas(
      String endpoint, RebalanceReplicasRequest request, Duration timeout) {
    answer("RebalanceReplicas", endpoint, timeout);
    return rebalanceAnswers.isEmpty()
        ? RebalanceReplicasResponse.newBuilder().setMap(map.getMap()).build()
        : rebalanceAnswers.poll();
  }

  List<String> rpcs() {
    return calls.stream().map(Call::rpc).toList();
  }

  private void answer(String rpc, String endpoint, Duration timeout) {
    calls.add(new Call(rpc, endpoint, timeout));
    RuntimeException failure = failures.get(endpoint);
    if (failure != null) {
      if (!failAfter.isZero()) {
        try {
          Thread.sleep(failAfter.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw failure;
    }
  }

  List<String> endpointsCalled() {
    return calls.stream().map(Call::endpoint).toList();
  }
}
