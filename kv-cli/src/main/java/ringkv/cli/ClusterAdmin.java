package ringkv.cli;

import java.time.Duration;
import ringkv.api.v1.GetClusterMapResponse;
import ringkv.api.v1.GetClusterStatusResponse;
import ringkv.api.v1.TakeSnapshotRequest;
import ringkv.api.v1.TakeSnapshotResponse;

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
}
