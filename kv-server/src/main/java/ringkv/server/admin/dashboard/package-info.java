/** The web dashboard on the admin port: static page, and the JSON it polls (/api/cluster, /api/stats). */
@NullMarked
package ringkv.server.admin.dashboard;

import org.jspecify.annotations.NullMarked;
