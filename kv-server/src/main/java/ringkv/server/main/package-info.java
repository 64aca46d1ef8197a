/**
 * The kv-server process: its command line entry point, and the Logback filter its logback.xml
 * registers ({@link ringkv.server.main.RefusedWriteLogFilter}).
 */
@NullMarked
package ringkv.server.main;

import org.jspecify.annotations.NullMarked;
