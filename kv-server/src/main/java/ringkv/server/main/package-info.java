/** The kv-server command line entry point. */
@NullMarked
package ringkv.server.main;

import org.jspecify.annotations.NullMarked;
