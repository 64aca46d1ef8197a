/** The RingKV node: hosts Raft groups, serves the gRPC API, forwards to leaders. */
@NullMarked
package ringkv.server;

import org.jspecify.annotations.NullMarked;
