/** The gRPC services of a node and the mapping of outcomes to gRPC statuses. */
@NullMarked
package ringkv.server.grpc;

import org.jspecify.annotations.NullMarked;
