package ringkv.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer.Division;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.AdminGrpc;
import ringkv.api.v1.BackupChunk;
import ringkv.api.v1.BackupShardRequest;
import java.time.Duration;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.AddShard;
import ringkv.api.v1.AddShardRequest;
import ringkv.api.v1.AddShardResponse;
import ringkv.api.v1.DrainNodeRequest;
import ringkv.api.v1.DrainNodeResponse;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.RebalanceReplicas;
import ringkv.api.v1.RebalanceReplicasRequest;
import ringkv.api.v1.RebalanceReplicasResponse;
import ringkv.api.v1.RemoveNode;
import ringkv.api.v1.RemoveNodeRequest;
import ringkv.api.v1.RemoveNodeResponse;
import ringkv.api.v1.RemoveShard;
import ringkv.api.v1.RemoveShardRequest;
import ringkv.api.v1.RemoveShardResponse;
import ringkv.api.v1.SetPreferredLeader;
import ringkv.api.v1.ShardInfo;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;
import ringkv.api.v1.WriteLimitReached;
import ringkv.api.v1.ErrorReason;
import ringkv.api.v1.GetClusterMapRequest;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusRequest;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.GetNodeStatusRequest;
import ringkv.api.v1.GetNodeStatusResponse;
import ringkv.api.v1.JoinRequest;
import ringkv.api.v1.JoinResponse;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.MoveReplicaRequest;
import ringkv.api.v1.MoveReplicaResponse;
import ringkv.api.v1.RegisterNode;
import ringkv.api.v1.ReplicaStatus;
import ringkv.api.v1.ShardLeader;
import ringkv.api.v1.StartReplicaMove;
import ringkv.raft.meta.MetaRejectedException;
import ringkv.raft.shard.KvStateMachine;
import ringkv.router.NodeId;
import ringkv.router.ShardId;
import ringkv.server.RequestFailedException;
import ringkv.server.groups.ClusterController;
import ringkv.server.groups.HostedGroups;
import ringkv.server.groups.MetaClient;
import ringkv.server.routing.ClusterMapView;

/** The {@code Admin} service: cluster map, joining, node and cluster status. */
public final class AdminGrpcService extends AdminGrpc.AdminImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminGrpcService.class);

  private final HostedGroups groups;
  private final MetaClient meta;
  private final ClusterController controller;
  private final NodeStatusCollector collector;
  private final StatusMapper statusMapper = new StatusMapper();

  private final SnapshotService snapshots;
  /** How long MoveReplica with wait may wait for the move to finish. */
  private static final java.time.Duration MOVE_WAIT = java.time.Duration.ofSeconds(60);
  private final LeadershipService leadership;
  private final NodeDrainer drainer;
  /** This node's own write limits reached (disk, memory), reported in its status for the shards' leaders. */
  private final Supplier<List<WriteLimitReached>> limitsReached;
  /**
   * Admin calls that wait (status of every node, snapshots, backups that stream for minutes) run
   * here, not on gRPC's threads nor the common pool (one thread on a 2-core machine, which a
   * backup would hold for its whole length).
   */
  private final ExecutorService slowCalls = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "ringkv-admin-call");
    t.setDaemon(true);
    return t;
  });

  public AdminGrpcService(HostedGroups groups, MetaClient meta, ClusterController controller, NodeStatusCollector collector,
      SnapshotService snapshots, LeadershipService leadership, NodeDrainer drainer,
      Supplier<List<WriteLimitReached>> limitsReached) {
    this.groups = groups;
    this.limitsReached = limitsReached;
    this.drainer = drainer;
    this.leadership = leadership;
    this.snapshots = snapshots;
    this.meta = meta;
    this.controller = controller;
    this.collector = collector;
  }

  @Override
  public void getClusterMap(GetClusterMapRequest request, StreamObserver<GetClusterMapResponse> response) {
    ClusterMapView.Snapshot map = freshMap();
    if (map == null) {
      response.onError(statusMapper.toStatus(new RequestFailedException(ErrorReason.NODE_NOT_READY,
          "this node has no cluster map yet", false), 0, null));
      return;
    }
    GetClusterMapResponse.Builder reply = GetClusterMapResponse.newBuilder().setMap(map.map());
    for (ShardId shard : map.shards()) {
      groups.leaderOf(shard).ifPresent(leader -> reply.addLeaders(ShardLeader.newBuilder()
          .setShardId(shard.value()).setNodeId(leader.getId())
          .setApiEndpoint(leader.getHost() + ":" + leader.getApiPort())));
    }
    response.onNext(reply.build());
    response.onCompleted();
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
    try {
      NodeId.of(request.getNode().getId());
    } catch (IllegalArgumentException e) {
      response.onError(statusMapper.toStatus(RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "node.id", 0, e.getMessage()), epoch(), null));
      return;
    }
    RegisterNode register = RegisterNode.newBuilder().setClusterId(request.getClusterId()).setNode(request.getNode()).build();
    meta.submit(MetaCommand.newBuilder().setRegisterNode(register).build()).whenComplete((map, error) -> {
      if (error == null) {
        groups.view().update(map);
        LOG.info("node joined node={} epoch={}", request.getNode().getId(), map.getEpoch());
        response.onNext(JoinResponse.newBuilder().setMap(map).build());
        response.onCompleted();
        return;
      }
      Throwable cause = error.getCause() != null && !(error instanceof MetaRejectedException) ? error.getCause() : error;
      if (cause instanceof MetaRejectedException rejected) {
        ErrorReason reason = switch (rejected.reason()) {
          case CLUSTER_ID_MISMATCH -> ErrorReason.WRONG_CLUSTER_ID;
          case DUPLICATE_NODE_ID -> ErrorReason.DUPLICATE_NODE;
          case NOT_BOOTSTRAPPED -> ErrorReason.NODE_NOT_READY;
          default -> ErrorReason.INVALID_FIELD;
        };
        response.onError(statusMapper.toStatus(new RequestFailedException(reason, rejected.getMessage(), false), epoch(), null));
      } else {
        response.onError(statusMapper.toStatus(new RequestFailedException(ErrorReason.NO_LEADER,
            "the meta group did not answer: " + cause, false, cause), epoch(), null));
      }
    });
  }

  @Override
  public void getNodeStatus(GetNodeStatusRequest request, StreamObserver<GetNodeStatusResponse> response) {
    if (request.getIncludeDigest()) {
      // walks every key of every local replica
      answerSlowly(() -> localStatus(true), response);
      return;
    }
    response.onNext(localStatus());
    response.onCompleted();
  }

  /** This node's replicas with their Raft state. */
  public GetNodeStatusResponse localStatus() {
    return localStatus(false);
  }

  private GetNodeStatusResponse localStatus(boolean includeDigest) {
    GetNodeStatusResponse.Builder status = GetNodeStatusResponse.newBuilder().setNodeId(groups.self().value()).setMapEpoch(epoch())
        .setLogFormatVersion(ringkv.raft.codec.CommandCodec.LOG_FORMAT_VERSION)
        .setMetaFormatVersion(ringkv.raft.meta.ClusterMapEditor.FORMAT_VERSION)
        .setSnapshotFormatVersion(ringkv.api.snapshot.SnapshotFile.FORMAT_VERSION)
        .addAllLimitsReached(limitsReached.get());
    groups.division(groups.metaGroupId()).ifPresent(d -> status.addReplicas(replica(d, "meta", 0, true).build()));
    ClusterMapView.Snapshot map = groups.view().current();
    if (map != null) {
      for (ShardId shard : map.shards()) {
        groups.shardDivision(shard).ifPresent(d -> {
          KvStateMachine machine = (KvStateMachine) d.getStateMachine();
          ReplicaStatus.Builder replica = replica(d, "shard-" + shard.value(), shard.value(), false)
              .setKeyCount(Math.max(machine.keyCount(), 0));
          if (includeDigest) {
            // the walk races with applies: keep a digest only if no command was applied during it
            long revision;
            long digest;
            int tries = 0;
            do {
              revision = machine.revision();
              digest = machine.stateDigest();
            } while (machine.revision() != revision && ++tries < 5);
            replica.setStateDigest(digest).setRevision(revision);
          } else {
            replica.setRevision(machine.revision());
          }
          status.addReplicas(replica.build());
        });
      }
    }
    return status.build();
  }

  private static ReplicaStatus.Builder replica(Division d, String name, int shard, boolean isMeta) {
    var info = d.getInfo();
    return ReplicaStatus.newBuilder()
        .setGroup(name).setShardId(shard).setIsMeta(isMeta)
        // null while the replica is still being created
        .setRole(info.getCurrentRole() == null ? "STARTING" : info.getCurrentRole().name())
        .setLeaderId(info.getLeaderId() == null ? "" : info.getLeaderId().toString())
        .setTerm(info.getCurrentTerm())
        .setCommitIndex(d.getRaftLog().getLastCommittedIndex())
        .setAppliedIndex(info.getLastAppliedIndex());
  }

  @Override
  public void getClusterStatus(GetClusterStatusRequest request, StreamObserver<GetClusterStatusResponse> response) {
    ClusterMapView.Snapshot map = freshMap();
    if (map == null) {
      response.onError(statusMapper.toStatus(new RequestFailedException(ErrorReason.NODE_NOT_READY,
          "this node has no cluster map yet", false), 0, null));
      return;
    }
    CompletableFuture.supplyAsync(() -> collector.collect(map.map(), groups.self(), localStatus()), slowCalls)
        .whenComplete((nodes, error) -> {
          if (error != null) {
            response.onError(statusMapper.toStatus(error, map.epoch(), null));
            return;
          }
          response.onNext(GetClusterStatusResponse.newBuilder().setMap(map.map()).addAllNodes(nodes).build());
          response.onCompleted();
        });
  }

  @Override
  public void takeSnapshot(TakeSnapshotRequest request, StreamObserver<TakeSnapshotResponse> response) {
    answerSlowly(() -> snapshots.takeSnapshot(request), response);
  }

  @Override
  public void transferLeadership(TransferLeadershipRequest request, StreamObserver<TransferLeadershipResponse> response) {
    // waits for an election
    answerSlowly(() -> {
      TransferLeadershipResponse moved = leadership.transfer(request);
      if (request.hasShardId()) {
        // the operator's choice becomes the shard's preferred leader in the map, or the leader
        // balancer would hand the leadership back to the old preferred replica after a while
        try {
          metaCall("to_node_id", () -> meta.submit(MetaCommand.newBuilder().setSetPreferredLeader(SetPreferredLeader.newBuilder()
              .setShardId(request.getShardId()).setNodeId(moved.getLeaderId())).build()));
        } catch (RequestFailedException e) {
          LOG.warn("leadership of shard {} moved to {}, but the map could not record it as preferred: {}",
              request.getShardId(), moved.getLeaderId(), e.getMessage());
        }
      }
      return moved;
    }, response);
  }

  @Override
  public void moveReplica(MoveReplicaRequest request, StreamObserver<MoveReplicaResponse> response) {
    answerSlowly(() -> startReplicaMove(request), response);
  }

  /** Records the move in the map (the meta leader's controller carries it out), and waits for its end if asked. */
  private MoveReplicaResponse startReplicaMove(MoveReplicaRequest request) {
    MetaCommand start = MetaCommand.newBuilder().setStartReplicaMove(StartReplicaMove.newBuilder()
        .setShardId(request.getShardId()).setFromNodeId(request.getFromNodeId()).setToNodeId(request.getToNodeId())).build();
    ClusterMap map = metaCall("replica move", () -> meta.submit(start));
    long deadline = System.nanoTime() + MOVE_WAIT.toNanos();
    while (request.getWait() && stillMoving(map, request)) {
      if (System.nanoTime() > deadline) {
        throw new RequestFailedException(ErrorReason.TIMEOUT, "the replica move of shard " + request.getShardId() + " from "
            + request.getFromNodeId() + " to " + request.getToNodeId() + " did not finish within " + MOVE_WAIT.toSeconds()
            + " s; it goes on (see kvctl cluster status)", true);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RequestFailedException(ErrorReason.TIMEOUT, "interrupted", true, e);
      }
      map = metaCall("replica move", meta::read);
    }
    groups.view().update(map);
    return MoveReplicaResponse.newBuilder().setMap(map).build();
  }

  private static boolean stillMoving(ClusterMap map, MoveReplicaRequest request) {
    return map.getShardsList().stream().filter(s -> s.getId() == request.getShardId())
        .anyMatch(s -> !s.getReplicasList().contains(request.getToNodeId()) || s.hasMove());
  }

  @Override
  public void addShard(AddShardRequest request, StreamObserver<AddShardResponse> response) {
    answerSlowly(() -> {
      ClusterMap map = metaCall("replica_node_ids", () -> meta.submit(MetaCommand.newBuilder()
          .setAddShard(AddShard.newBuilder().addAllReplicaNodeIds(request.getReplicaNodeIdsList())).build()));
      groups.view().update(map);
      ShardInfo added = map.getShards(map.getShardsCount() - 1);
      LOG.info("shard added shard={} replicas={} partitions_to_move={} epoch={}", added.getId(), added.getReplicasList(),
          map.getPartitionMovesCount(), map.getEpoch());
      return AddShardResponse.newBuilder().setMap(map).setShardId(added.getId())
          .setPartitionsToMove(map.getPartitionMovesCount()).build();
    }, response);
  }

  @Override
  public void removeShard(RemoveShardRequest request, StreamObserver<RemoveShardResponse> response) {
    answerSlowly(() -> {
      ClusterMap map = metaCall("shard_id", () -> meta.submit(MetaCommand.newBuilder()
          .setRemoveShard(RemoveShard.newBuilder().setShardId(request.getShardId())).build()));
      groups.view().update(map);
      LOG.info("shard removal started shard={} partitions_to_move={} epoch={}", request.getShardId(),
          map.getPartitionMovesCount(), map.getEpoch());
      return RemoveShardResponse.newBuilder().setMap(map).setPartitionsToMove(map.getPartitionMovesCount()).build();
    }, response);
  }

  @Override
  public void removeNode(RemoveNodeRequest request, StreamObserver<RemoveNodeResponse> response) {
    answerSlowly(() -> {
      ClusterMap map = metaCall("node_id", () -> meta.submit(MetaCommand.newBuilder()
          .setRemoveNode(RemoveNode.newBuilder().setNodeId(request.getNodeId())).build()));
      groups.view().update(map);
      int moves = (int) map.getShardsList().stream()
          .filter(s -> s.hasMove() && s.getMove().getFromNodeId().equals(request.getNodeId())).count();
      LOG.info("node removal started node={} replica_moves={} epoch={}", request.getNodeId(), moves, map.getEpoch());
      return RemoveNodeResponse.newBuilder().setMap(map).setReplicaMoves(moves).build();
    }, response);
  }

  @Override
  public void rebalanceReplicas(RebalanceReplicasRequest request, StreamObserver<RebalanceReplicasResponse> response) {
    answerSlowly(() -> {
      ClusterMap map = metaCall("rebalance", () -> meta.submit(MetaCommand.newBuilder()
          .setRebalanceReplicas(RebalanceReplicas.getDefaultInstance()).build()));
      groups.view().update(map);
      // the moves this call planned are the ones started at the map's epoch (a call planning none leaves the epoch)
      int moves = (int) map.getShardsList().stream()
          .filter(s -> s.hasMove() && s.getMove().getStartedEpoch() == map.getEpoch()).count();
      LOG.info("replica rebalance planned replica_moves={} epoch={}", moves, map.getEpoch());
      return RebalanceReplicasResponse.newBuilder().setMap(map).setReplicaMoves(moves).build();
    }, response);
  }

  /** A meta group call: its refusal becomes INVALID_ARGUMENT with the editor's reason, no answer UNAVAILABLE. */
  private static ClusterMap metaCall(String what, java.util.function.Supplier<CompletableFuture<ClusterMap>> call) {
    try {
      return call.get().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MetaRejectedException rejected) {
        throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, what, 0, rejected.getMessage());
      }
      throw new RequestFailedException(ErrorReason.NO_LEADER, "the meta group did not answer: " + e.getCause(), true, e);
    } catch (TimeoutException e) {
      throw new RequestFailedException(ErrorReason.NO_LEADER, "the meta group did not answer within 10 s", true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RequestFailedException(ErrorReason.NO_LEADER, "interrupted", true, e);
    }
  }

  /** Computes a unary answer on {@link #slowCalls}: admin calls are rare and may take long, gRPC's threads may not wait. */
  private <T> void answerSlowly(java.util.function.Supplier<T> answer, StreamObserver<T> response) {
    CompletableFuture.supplyAsync(answer, slowCalls).whenComplete((reply, error) -> {
      if (error != null) {
        response.onError(statusMapper.toStatus(error.getCause() != null ? error.getCause() : error, epoch(), null));
      } else {
        response.onNext(reply);
        response.onCompleted();
      }
    });
  }

  /**
   * Drains this node, or forwards the call to the node named: kvctl may be pointed at any node,
   * and a Kubernetes preStop hook at its own pod.
   */
  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> response) {
    Duration timeout;
    NodeInfo target;
    try {
      timeout = drainTimeout(request);
      target = drainTarget(request.getNodeId());
    } catch (RequestFailedException e) {
      response.onError(statusMapper.toStatus(e, epoch(), null));
      return;
    }
    if (target.getId().equals(groups.self().value())) {
      answerSlowly(() -> drainer.drain(timeout), response);
      return;
    }
    // the target bounds its own drain; a little more, so that its answer (drained or not) arrives
    Duration forwardDeadline = timeout.plusSeconds(10);
    answerSlowly(() -> AdminGrpc.newBlockingStub(collector.channel(target))
        .withDeadlineAfter(forwardDeadline.toMillis(), TimeUnit.MILLISECONDS)
        .drainNode(request), response);
  }

  private static Duration drainTimeout(DrainNodeRequest request) {
    long millis = request.getTimeoutMillis();
    if (millis < 0 || millis > NodeDrainer.MAX_TIMEOUT.toMillis()) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "timeout_millis", NodeDrainer.MAX_TIMEOUT.toMillis(),
          "timeout_millis must be in 0.." + NodeDrainer.MAX_TIMEOUT.toMillis() + " (0 = "
              + NodeDrainer.DEFAULT_TIMEOUT.toSeconds() + " s), got " + millis);
    }
    return millis == 0 ? NodeDrainer.DEFAULT_TIMEOUT : Duration.ofMillis(millis);
  }

  private NodeInfo drainTarget(String nodeId) {
    if (nodeId.isEmpty()) {
      throw RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "node_id", 0, "node_id must name the node to drain");
    }
    if (nodeId.equals(groups.self().value())) {
      return NodeInfo.newBuilder().setId(nodeId).build();
    }
    ClusterMapView.Snapshot map = groups.view().current();
    if (map == null) {
      throw new RequestFailedException(ErrorReason.NODE_NOT_READY, "this node has no cluster map yet", false);
    }
    return map.map().getNodesList().stream().filter(n -> n.getId().equals(nodeId)).findFirst()
        .orElseThrow(() -> RequestFailedException.invalid(ErrorReason.INVALID_FIELD, "node_id", 0, "node_id: no node "
            + nodeId + " in the cluster map; its nodes are "
            + map.map().getNodesList().stream().map(NodeInfo::getId).sorted().toList()));
  }

  @Override
  public void backupShard(BackupShardRequest request, StreamObserver<BackupChunk> response) {
    ServerCallStreamObserver<BackupChunk> out = (ServerCallStreamObserver<BackupChunk>) response;
    slowCalls.execute(() -> {
      try {
        snapshots.backupShard(request, out);
      } catch (Exception e) {
        LOG.warn("backup of shard {} failed: {}", request.getShardId(), e.toString());
        out.onError(statusMapper.toStatus(e, epoch(), null));
      }
    });
  }

  /** The newest map: read from the meta group when it answers, else this node's copy. */
  private ClusterMapView.Snapshot freshMap() {
    try {
      return controller.refresh();
    } catch (Exception e) {
      LOG.debug("serving the cached cluster map: {}", e.toString());
      return groups.view().current();
    }
  }

  private long epoch() {
    ClusterMapView.Snapshot map = groups.view().current();
    return map == null ? 0 : map.epoch();
  }

}
