/** The node's admin HTTP port: Prometheus metrics, liveness and readiness, the dashboard. */
@NullMarked
package ringkv.server.admin;

import org.jspecify.annotations.NullMarked;
