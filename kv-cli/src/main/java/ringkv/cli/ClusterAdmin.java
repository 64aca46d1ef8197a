package ringkv.cli;

import java.time.Duration;
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
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;
import ringkv.api.v1.TransferLeadershipRequest;
import ringkv.api.v1.TransferLeadershipResponse;

/**
 * Calls the {@code ringkv.v1.Admin} service of one node; {@link GrpcClusterAdmin} is the real one.
 * Trying other nodes is the caller's business ({@link ClusterCommand}).
 */
public interface ClusterAdmin {
  /**
   * {@code Admin/GetClusterStatus} on {@code endpoint}, within {@code timeout}.
   *
   * @throws RuntimeException when the node does not answer or answers with an error (gRPC's {@link
   *     io.grpc.StatusRuntimeException}, whose status names the reason)
   */
  GetClusterStatusResponse clusterStatus(String endpoint, Duration timeout);

  /**
   * {@code Admin/GetClusterMap} on {@code endpoint}, within {@code timeout}.
   *
   * @throws RuntimeException as {@link #clusterStatus}
   */
  GetClusterMapResponse clusterMap(String endpoint, Duration timeout);

  /**
   * {@code Admin/TakeSnapshot} on {@code endpoint}, within {@code timeout}.
   *
   * @throws RuntimeException as {@link #clusterStatus}
   */
  TakeSnapshotResponse takeSnapshot(String endpoint, TakeSnapshotRequest request, Duration timeout);

  /**
   * {@code Admin/TransferLeadership} on {@code endpoint}, within {@code timeout}.
   *
   * @throws ringkv.client.KvException when the node answered with an error of its own (its status
   *     carries a RingKV {@code ErrorDetail}): it refused the request, or the transfer did not
   *     finish in time. Asking another node would not help. A node that is not ready or is stopping
   *     ({@code NODE_NOT_READY}, {@code NODE_STOPPING}) did nothing: that is not such an answer.
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  TransferLeadershipResponse transferLeadership(
      String endpoint, TransferLeadershipRequest request, Duration timeout);

  /**
   * {@code Admin/MoveReplica} on {@code endpoint}, within {@code timeout}.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  MoveReplicaResponse moveReplica(String endpoint, MoveReplicaRequest request, Duration timeout);

  /**
   * {@code Admin/AddShard} on {@code endpoint}, within {@code timeout}: answers once the plan is in
   * the map; the partition moves go on in the background.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  AddShardResponse addShard(String endpoint, AddShardRequest request, Duration timeout);

  /**
   * {@code Admin/RemoveShard} on {@code endpoint}, within {@code timeout}: answers once the plan is
   * in the map; the partition moves go on in the background.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  RemoveShardResponse removeShard(String endpoint, RemoveShardRequest request, Duration timeout);

  /**
   * {@code Admin/DrainNode} on {@code endpoint}, within {@code timeout}; the node forwards it to
   * the node named. A drain that did not finish is an answer ({@code drained} false), not an error.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  DrainNodeResponse drainNode(String endpoint, DrainNodeRequest request, Duration timeout);

  /**
   * {@code Admin/RemoveNode} on {@code endpoint}, within {@code timeout}: answers once the node is
   * marked leaving and its replica moves are in the map; they go on in the background, then the map
   * forgets the node.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  RemoveNodeResponse removeNode(String endpoint, RemoveNodeRequest request, Duration timeout);

  /**
   * {@code Admin/RebalanceReplicas} on {@code endpoint}, within {@code timeout}: answers once the
   * replica moves it planned (at most one per shard) are in the map.
   *
   * @throws ringkv.client.KvException as {@link #transferLeadership}
   * @throws RuntimeException as {@link #clusterStatus}, when the node could not be asked
   */
  RebalanceReplicasResponse rebalanceReplicas(
      String endpoint, RebalanceReplicasRequest request, Duration timeout);
}
